/**
 * @module cli/summarize-files
 * `logs --file` over files (not stdin) in a worker thread whose young generation is capped at 4 MiB: V8
 * otherwise grows the young generation (up to 48 MiB) and the old space's slack with the allocation rate,
 * and peak RSS with them, while the summary itself stays small (bounded by design). Measured on 1M and 5M
 * high-cardinality lines: peak RSS ~150 MB in the worker against 225–260 MB on the main thread, in no more
 * time. The worker runs the same `summarizeLogs` over the same `fileSource`s; only the report comes back,
 * each flow's `codes` as pairs: a structured clone gives an object keyed `503` an array of ~500 slots, and
 * 8,000 flows took 50 MB on the main thread that way.
 */
import { Worker } from 'node:worker_threads';
import { codeCounts } from '../analysis/code-counts.js';
import type { Flow, SummaryReport } from '../analysis/report.js';
import type { FileSummaryJob } from '../commands/command-deps.js';
import { MeshbotError } from '../core/errors.js';

/** A summary as the worker posts it: each flow's `codes` as `[code, count, code, count, …]`. */
export interface PostedSummary extends Omit<SummaryReport, 'flows'> {
  flows: (Omit<Flow, 'codes'> & { codes: number[] })[];
}

/** What the worker posts back. */
export type WorkerAnswer =
  | { ok: true; report: PostedSummary }
  | { ok: false; error: { code: MeshbotError['code']; message: string; details: Record<string, unknown> } };

/**
 * The report as the worker posts it (see the module). Made in place (the worker posts it and is done):
 * at the end of a big input the worker's memory is at its peak.
 */
export function toPosted(report: SummaryReport): PostedSummary {
  const posted = report as unknown as PostedSummary;
  report.flows.forEach((flow, i) => {
    const codes: number[] = [];
    // Integer-like keys enumerate in ascending order, as the record did.
    for (const code in flow.codes) codes.push(Number(code), flow.codes[code] as number);
    (posted.flows[i] as { codes: number[] }).codes = codes;
  });
  return posted;
}

/** The report the worker posted, as the command reads it (in place: it is the main thread's own copy). */
export function fromPosted(posted: PostedSummary): SummaryReport {
  const report = posted as unknown as SummaryReport;
  posted.flows.forEach((flow, i) => {
    const pairs: [number, number][] = [];
    for (let k = 0; k < flow.codes.length; k += 2)
      pairs.push([flow.codes[k] as number, flow.codes[k + 1] as number]);
    (report.flows[i] as Flow).codes = codeCounts(pairs);
  });
  return report;
}

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
      if (answer.ok) resolve(fromPosted(answer.report));
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
