/** Wrapped commands run the same when pasted: bash itself reads the original and the wrapped text. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { displayWidth } from './display-width.js';
import { wrapCommand } from './wrap-command.js';

const INDENT = '      ';

/** The lines as printed: continuation lines indented unless they continue a split word. */
function printed(command: string, room: number): string[] {
  return wrapCommand(command, room, room - INDENT.length).map((l, i) =>
    i > 0 && l.indent ? INDENT + l.text : l.text,
  );
}

/** The words bash sees when `script` is pasted (printf shows each argument in brackets). */
function bashWords(script: string): string {
  return execFileSync('bash', ['-c', `printf '[%s]' ${script}`], { encoding: 'utf8' });
}

const COMMANDS = [
  'kubectl logs productpage-v1-6b746f74dc-9stvp -n default -c productpage --previous  # if the app restarted',
  "istioctl proxy-config endpoints productpage-v1-6b746f74dc-9stvp -n bookinfo --cluster 'outbound|9080||reviews.bookinfo.svc.cluster.local'",
  'istioctl proxy-config endpoints deploy/sleep -n default --cluster "outbound|8000||httpbin.foo.svc.cluster.local"',
  `kubectl get pods -n default ${'a'.repeat(63)} -o wide  # are they Ready? Do they restart? Which node are they on?`,
  "kubectl get configmap istio -n istio-system -o jsonpath='{.data.mesh}'  # outboundTrafficPolicy",
  'kubectl exec -n default sleep-7f8d9c-xk2lp -c istio-proxy -- curl -s localhost:15000/clusters\\?format=json',
];

describe('wrapCommand', () => {
  it('keeps a command that fits on one line, and every command without a width', () => {
    expect(wrapCommand('kubectl get pods', 40)).toEqual([{ text: 'kubectl get pods', indent: true }]);
    for (const command of COMMANDS) expect(wrapCommand(command, undefined)).toHaveLength(1);
  });

  it.each([20, 30, 44, 60, 100])('wraps to %i columns and pastes as the same command', (room) => {
    for (const command of COMMANDS) {
      const lines = printed(command, room);
      for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(room);
      expect(bashWords(lines.join('\n'))).toBe(bashWords(command));
    }
  });

  it('breaks between words with " \\" and splits single-quoted words by closing and reopening the quote', () => {
    const lines = printed(COMMANDS[1] ?? '', 44);
    expect(lines[0]).toMatch(/ \\$/);
    expect(lines.some((l) => l.endsWith("'\\"))).toBe(true);
    expect(lines.some((l) => l.startsWith("'"))).toBe(true);
  });

  it('puts a long remark on comment lines of its own', () => {
    const lines = printed(COMMANDS[3] ?? '', 60);
    const remark = lines.filter((l) => l.trimStart().startsWith('#'));
    expect(remark.length).toBeGreaterThan(1);
    expect(remark.join(' ')).toContain('Ready?');
  });
});
