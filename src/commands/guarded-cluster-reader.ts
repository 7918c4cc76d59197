/**
 * @module commands/guarded-cluster-reader
 * A {@link ClusterReader} wrapped for the bot: every pod log read waits for a slot in one limiter shared
 * by all commands (so many users at once cannot overload the API server), and only namespaces the bot
 * may see are listed or read (`MESHBOT_NAMESPACES`). A namespace outside the allowed set behaves as if
 * it were not there for lists, and is refused by name when asked for directly.
 */
import { MeshbotError } from '../core/errors.js';
import type { ClusterReader, LogReadOptions, PodSummary } from './cluster-port.js';
import { Semaphore } from './live-logs.js';

/** One limit of pod log reads in flight, shared by every command of a process. */
export class LogReadLimiter {
  readonly limit: number;
  #inFlight = 0;
  #peak = 0;
  readonly #semaphore: Semaphore;
  readonly #onChange: ((inFlight: number) => void) | undefined;

  constructor(limit: number, onChange?: (inFlight: number) => void) {
    this.limit = Math.max(1, Math.floor(limit));
    this.#semaphore = new Semaphore(this.limit);
    this.#onChange = onChange;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** The most reads ever in flight at once (tests and metrics). */
  get peak(): number {
    return this.#peak;
  }

  async run<T>(read: () => Promise<T>): Promise<T> {
    await this.#semaphore.acquire();
    this.#inFlight++;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    this.#onChange?.(this.#inFlight);
    try {
      return await read();
    } finally {
      this.#inFlight--;
      this.#onChange?.(this.#inFlight);
      this.#semaphore.release();
    }
  }
}

export interface ReaderGuard {
  limiter: LogReadLimiter;
  namespaceAllowed: (namespace: string) => boolean;
}

function refuse(namespace: string): MeshbotError {
  return new MeshbotError(
    'forbidden',
    `meshbot is not allowed to look at namespace ${namespace} (MESHBOT_NAMESPACES)`,
    { namespace },
  );
}

export function guardClusterReader(reader: ClusterReader, guard: ReaderGuard): ClusterReader {
  const allowed = guard.namespaceAllowed;
  const check = (namespace: string | null) => {
    if (namespace !== null && !allowed(namespace)) throw refuse(namespace);
  };
  const keep = <T extends { namespace: string }>(items: T[]) => items.filter((i) => allowed(i.namespace));
  const search = reader.searchProxyLog?.bind(reader);
  return {
    server: reader.server,
    defaultNamespace: reader.defaultNamespace,
    async listNamespaces() {
      return (await reader.listNamespaces()).filter((n) => allowed(n.name));
    },
    async getNamespace(name) {
      check(name);
      return reader.getNamespace(name);
    },
    async listPods(namespace, selector): Promise<PodSummary[]> {
      check(namespace);
      return keep(await reader.listPods(namespace, selector));
    },
    async listWorkloads(namespace) {
      check(namespace);
      return keep(await reader.listWorkloads(namespace));
    },
    async listServices(namespace) {
      check(namespace);
      return keep(await reader.listServices(namespace));
    },
    async readProxyLog(namespace, pod, options) {
      check(namespace);
      return guard.limiter.run(() => reader.readProxyLog(namespace, pod, options));
    },
    ...(search === undefined
      ? {}
      : {
          async searchProxyLog(namespace: string, pod: string, options: LogReadOptions, text: string) {
            check(namespace);
            return guard.limiter.run(() => search(namespace, pod, options, text));
          },
        }),
  };
}
