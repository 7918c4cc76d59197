/** Event-driven waiting on the traffic a Slack stand-in records: re-checks a probe after every record. */
import { EventEmitter } from 'node:events';

/** Default time the `waitFor…` helpers give a matching record to show up. */
export const DEFAULT_WAIT_MS = 2_000;

export class RecordSignal {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Tells waiters that something was recorded. */
  notify(): void {
    this.emitter.emit('record');
  }

  /**
   * Resolves with the first value `probe` returns that is not `undefined`, `null` or `false`, checking now and
   * after each `notify()`; rejects after `timeoutMs` with `describe()` in the message.
   */
  waitFor<T>(
    probe: () => T | undefined | null | false,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        let found: T | undefined | null | false;
        try {
          found = probe();
        } catch (error) {
          finish();
          reject(error);
          return true;
        }
        if (found === undefined || found === null || found === false) return false;
        finish();
        resolve(found);
        return true;
      };
      const onRecord = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.emitter.off('record', onRecord);
      };
      if (check()) return;
      this.emitter.on('record', onRecord);
    });
  }
}
