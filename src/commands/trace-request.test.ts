/** `traceRequest` with a prefix of an id: the full id when it is unique, the candidates when not. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitCodeOfReport } from './command-report.js';
import { textSource } from './ports.js';
import { traceRequest } from './trace-request.js';

const seed = (name: string) =>
  textSource(name, readFileSync(new URL(`../../test/fixtures/seed/${name}`, import.meta.url), 'utf8'));
const FULL = 'be5acb4a-9e3e-4540-814d-07c2c7dcf7f1';

describe('traceRequest by prefix', () => {
  it('finds the full id from its first 8 characters and says so', async () => {
    const report = await traceRequest('be5acb4a', [seed('sleep.log'), seed('helloworld.log')]);
    expect(report.request_id).toBe(FULL);
    expect(report.hops.length).toBeGreaterThanOrEqual(2);
    expect(report.notes[0]?.message).toBe(`be5acb4a is the start of ${FULL}: traced that`);
  });

  it('lists the candidates when the prefix is not unique, and traces nothing', async () => {
    const line = (id: string) =>
      `[2024-05-01T12:00:00.000Z] "GET / HTTP/1.1" 200 - via_upstream - "-" 0 12 3 2 "-" "curl/8" "${id}" "svc:80" "10.0.0.1:80" outbound|80||svc.ns.svc.cluster.local 10.0.0.2:5000 10.96.0.1:80 10.0.0.2:5001 - default\n`;
    const text = line('abcdef12-0000-4000-8000-000000000001') + line('abcdef12-0000-4000-8000-000000000002');
    const report = await traceRequest('abcdef12', [textSource('a.log', text)]);
    expect(report.hops).toEqual([]);
    expect(report.notes[0]?.message).toContain(
      '2 request ids start with abcdef12: abcdef12-0000-4000-8000-000000000001, abcdef12-0000-4000-8000-000000000002',
    );
  });

  it('an exact id wins over longer ids that start with it', async () => {
    const report = await traceRequest(FULL, [seed('sleep.log'), seed('helloworld.log')]);
    expect(report.request_id).toBe(FULL);
    expect(report.notes.some((n) => n.message.includes('is the start of'))).toBe(false);
  });
});

describe('traceRequest options', () => {
  it('stopped by a signal: the trace of what was read, marked partial, exit 130', async () => {
    const stop = new AbortController();
    const sleep = seed('sleep.log');
    const stopping = {
      name: 'stops.log',
      async *read() {
        stop.abort();
        yield '';
      },
    };
    const report = await traceRequest(FULL, [sleep, stopping, seed('helloworld.log')], {
      signal: stop.signal,
    });
    expect(report).toMatchObject({ interrupted: true, partial_input: true, logs_searched: 3 });
    expect(report.notes[0]?.message).toBe(
      'interrupted: partial input. Reading stopped at the signal; hops in what was not read are missing.',
    );
    // helloworld.log was never read: only sleep's hop.
    expect(report.hops.map((h) => h.source)).toEqual(['sleep']);
    expect(exitCodeOfReport(report)).toBe(130);
    expect(exitCodeOfReport(await traceRequest(FULL, [seed('sleep.log')]))).toBe(0);
  });

  it('numbers lines as lineOf says (a live trace reads only the lines with the id)', async () => {
    const report = await traceRequest(FULL, [seed('sleep.log')], { lineOf: (_source, line) => line * 100 });
    const plain = await traceRequest(FULL, [seed('sleep.log')]);
    expect(report.hops.map((h) => h.line)).toEqual(plain.hops.map((h) => h.line * 100));
  });
});
