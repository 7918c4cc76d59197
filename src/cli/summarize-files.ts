/**
 * @module cli/summarize-files
 * `logs --file` over files (not stdin) in a worker thread whose young generation is capped at 4 MiB: V8
 * otherwise grows the young generation (up to 48 MiB) and the old space's slack with the allocation rate,
 * and peak RSS with them, while the summary itself stays small (bounded by design). Measured on 1M and 5M
 * high-cardinality lines: peak RSS ~150 MB in the worker against 225–260 MB on the main thread, in no more
 * time. The worker runs the same `summarizeLogs` over the same `fileSource`s; only the report comes back.
 */
import { Worker } from 'node:worker_threads';
import type { SummaryReport } from '../analysis/report.js';
import type { FileSummaryJob } from '../commands/command-deps.js';
import { MeshbotError } from '../core/errors.js';

/** What the worker posts back. */
export type WorkerAnswer =
  | { ok: true; report: SummaryReport }
  | { ok: false; error: { code: MeshbotError['code']; message: string; details: Record<string, unknown> } };

/** The young generation cap, in MiB (see the module). */
const YOUNG_GENERATION_MB = 4;

/** The worker script, built next to this module (`dist/cli/`); undefined when running from the sources. */
export function workerScript(): URL | undefined {
  const here = import.meta.url;
  return here.endsWith('.ts') ? undefined : new URL('./summarize-files-worker.js', here);
}

/** Runs `job` in a worker; `signal` aborting asks it to stop reading and answer with what it read. */
export function summarizeFilesInWorker(
  script: URL,
  job: FileSummaryJob,
  signal: AbortSignal | undefined,
): Promise<SummaryReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: job,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      stdin: false,
    });
    let answered = false;
    const abort = () => worker.postMessage('abort');
    if (signal?.aborted === true) abort();
    else signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);
    worker.on('message', (answer: WorkerAnswer) => {
      answered = true;
      done();
      if (answer.ok) resolve(answer.report);
      else reject(new MeshbotError(answer.error.code, answer.error.message, answer.error.details));
    });
    worker.on('error', (e) => {
      done();
      if (!answered)
        reject(
          new MeshbotError(
            'internal',
            `reading the files failed: ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
    });
    worker.on('exit', (code) => {
      done();
      if (!answered)
        reject(new MeshbotError('internal', `the file reader stopped (exit ${code}) before it answered`));
    });
  });
}
