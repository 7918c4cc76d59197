/**
 * @module cli/summarize-files-worker
 * The worker side of cli/summarize-files: reads the job's files and summarises them as the main thread
 * would (`summarizeLogs` over `fileSource`s, `--log-format` compiled again, the workload filter built
 * again), then posts the report, or the error as code, message and details. An `abort` message stops the
 * reading; the report then covers what was read and says so.
 */
import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { compileLogFormat, type RecordParser } from '../accesslog/custom-format.js';
import type { FileSummaryJob } from '../commands/command-deps.js';
import { summarizeLogs } from '../commands/summarize-logs.js';
import { workloadFilter } from '../commands/workload-filter.js';
import { asMeshbotError, MeshbotError } from '../core/errors.js';
import { fileSource } from './file-source.js';
import { toPosted, type WorkerAnswer } from './summarize-files.js';

async function run(job: FileSummaryJob, signal: AbortSignal): Promise<WorkerAnswer> {
  try {
    let customParser: RecordParser | undefined;
    if (job.logFormat !== undefined) {
      const compiled = compileLogFormat(job.logFormat);
      if (!compiled.ok) throw new MeshbotError('invalid_format_string', `--log-format: ${compiled.message}`);
      customParser = compiled.parser;
    }
    const noStdin = new PassThrough();
    noStdin.end();
    const report = await summarizeLogs(
      job.paths.map((path) => fileSource(path, noStdin, signal)),
      {
        sinceMs: job.sinceMs,
        customParser,
        filter: job.target === undefined ? undefined : workloadFilter(job.target),
        signal,
        notes: job.notes,
      },
    );
    return { ok: true, report: toPosted(report) };
  } catch (e) {
    const error = asMeshbotError(e);
    return { ok: false, error: { code: error.code, message: error.message, details: { ...error.details } } };
  }
}

const port = parentPort;
if (port !== null) {
  const stop = new AbortController();
  port.on('message', (message: unknown) => {
    if (message === 'abort') stop.abort();
  });
  const answer = await run(workerData as FileSummaryJob, stop.signal);
  port.postMessage(answer);
  port.close();
}
