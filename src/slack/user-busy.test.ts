import { describe, expect, it } from 'vitest';
import { createBusyTracker } from './user-busy.js';

describe('createBusyTracker', () => {
  it('refuses a second command with the same key for the same user until released', () => {
    const busy = createBusyTracker();
    const release = busy.tryStart('U1', 'logs');
    expect(release).toBeTypeOf('function');
    expect(busy.tryStart('U1', 'logs')).toBeNull();
    expect(busy.isBusy('U1', 'logs')).toBe(true);
    release?.();
    expect(busy.isBusy('U1', 'logs')).toBe(false);
    expect(busy.tryStart('U1', 'logs')).toBeTypeOf('function');
  });

  it('lets other keys and other users run concurrently', () => {
    const busy = createBusyTracker();
    expect(busy.tryStart('U1', 'logs')).not.toBeNull();
    expect(busy.tryStart('U1', 'trace')).not.toBeNull();
    expect(busy.tryStart('U2', 'logs')).not.toBeNull();
    expect(busy.runningCount()).toBe(3);
  });

  it('counts running commands and ignores a repeated release', () => {
    const busy = createBusyTracker();
    const a = busy.tryStart('U1', 'logs');
    const b = busy.tryStart('U2', 'trace');
    expect(busy.runningCount()).toBe(2);
    a?.();
    a?.();
    expect(busy.runningCount()).toBe(1);
    const again = busy.tryStart('U1', 'logs');
    a?.(); // a stale release must not free the new run
    expect(busy.isBusy('U1', 'logs')).toBe(true);
    b?.();
    again?.();
    expect(busy.runningCount()).toBe(0);
  });
});
