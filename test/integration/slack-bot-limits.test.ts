/**
 * The Slack bot at Slack's limits, end to end over real protocols on loopback (Bolt in HTTP mode, the Web
 * API stand-in, the fake Kubernetes API server): a result too big for one message (files in a thread,
 * capped, redacted), the five-post budget of a `response_url` and the DM fallback when it is spent or dead,
 * and a failing or rate-limiting Slack that must never hang a command.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/kube-sim/index.js';
import { MAX_UPLOAD_BYTES } from '../../src/slack/handle-invocation.js';
import {
  messageShortcutPayload,
  postInteraction,
  postSlashCommand,
  type RecordedResponse,
} from '../support/slack/index.js';
import {
  auditLines,
  type BotWorld,
  everythingSent,
  FAILED_ID,
  LEAKED,
  meshLine,
  OK_ID,
  SECRET,
  startWorld,
  USER,
} from './slack-bot-fixtures.js';

/** Secrets only the extra lines carry: a query-string token and a bearer token in a user agent. */
const QUERY_SECRET = 'q-s3cret-in-the-query-9f8e7d';
const BEARER_SECRET = 'b34rer-t0ken-in-the-agent-1a2b3c';
const SECRET_AGENT = `curl/8.5.0 Authorization: Bearer ${BEARER_SECRET}`;
const TRACE_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';

const WORDS = ['apple', 'birch', 'cedar', 'delta', 'ember', 'fjord', 'grove', 'heron'];
/** Codes with the flags and details Envoy gives them, so the summary has findings of several causes. */
const OUTCOMES: { code: number; flags?: string; details?: string }[] = [
  { code: 200 },
  { code: 404, flags: 'NR', details: 'route_not_found' },
  { code: 500 },
  { code: 503, flags: 'UF', details: 'upstream_reset_before_response_started{connection_failure}' },
  { code: 504, flags: 'UT', details: 'response_timeout' },
  { code: 503, flags: 'UO', details: 'overflow' },
  { code: 403, details: 'rbac_access_denied_matched_policy[none]' },
  { code: 429 },
];

/** 2,500 lines per pod, each its own flow (path and caller), all within the last 15 minutes. */
function manyFlows({ server }: { server: string; client: string }): LogLine[] {
  return Array.from({ length: 2500 }, (_, n) => {
    const outcome = OUTCOMES[n % OUTCOMES.length] ?? { code: 200 };
    return meshLine({
      secondsAgo: 5 + (n % 790),
      direction: 'inbound',
      path: `/items/${WORDS[n % WORDS.length]}-${n}/x${n % 97 === 0 ? `?token=${QUERY_SECRET}` : ''}`,
      ...outcome,
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      agent: n % 89 === 0 ? SECRET_AGENT : 'curl/8.5.0',
      serverIp: server,
      clientIp: `10.9.${n % 50}.${(n % 200) + 1}`,
    });
  });
}

/** One request id on 2,800 lines per pod (a retry storm): a trace of very many hops and > 1 MB of lines. */
function manyHops({ server, client }: { server: string; client: string }): LogLine[] {
  return Array.from({ length: 2800 }, (_, n) =>
    meshLine({
      secondsAgo: 5 + (n % 700),
      direction: 'inbound',
      path: `/hop/${n}?token=${QUERY_SECRET}`,
      code: n % 3 === 0 ? 503 : 200,
      ...(n % 3 === 0
        ? { flags: 'UF', details: 'upstream_reset_before_response_started{connection_failure}' }
        : {}),
      id: TRACE_ID,
      agent: SECRET_AGENT,
      serverIp: server,
      clientIp: client,
    }),
  );
}

const ITEM_PATH = /\/items\/[a-z]+-\d+\/x/g;

function itemPaths(text: string): Set<string> {
  return new Set(text.match(ITEM_PATH) ?? []);
}

function textOf(body: unknown): string {
  return JSON.stringify(body);
}

function isFinal(r: RecordedResponse): boolean {
  const body = r.body as { text?: string; delete_original?: boolean };
  return body.delete_original !== true && !String(body.text ?? '').startsWith(':hourglass_flowing_sand:');
}

async function finalAnswer(world: BotWorld, id: string, timeoutMs = 10_000): Promise<RecordedResponse> {
  return world.api.waitFor(
    () => world.api.responses.find((r) => r.id === id && isFinal(r)),
    timeoutMs,
    `the final answer on ${id}`,
  );
}

function expectNoSecrets(world: BotWorld): void {
  const sent = everythingSent(world.api);
  for (const secret of [QUERY_SECRET, BEARER_SECRET, LEAKED]) expect(sent).not.toContain(secret);
  for (const file of world.api.sharedFiles()) {
    expect(file.text).not.toContain(QUERY_SECRET);
    expect(file.text).not.toContain(BEARER_SECRET);
  }
}

/** No `response_url` ever got more than Slack's five posts, and none was refused for it. */
function expectWithinBudget(world: BotWorld): void {
  const perUrl = new Map<string, number>();
  for (const r of world.api.responses) perUrl.set(r.id, (perUrl.get(r.id) ?? 0) + 1);
  for (const [id, posts] of perUrl) expect(posts, `posts to ${id}`).toBeLessThanOrEqual(5);
  expect(world.api.responses.filter((r) => r.status === 404 && /expired/.test(r.text))).toEqual([]);
}

describe('meshbot serve: a result too big for one message', () => {
  let world: BotWorld;
  afterEach(async () => {
    await world?.close();
  });

  it('puts the full report in a file in a DM thread and says so in the reply', async () => {
    world = await startWorld({ extraLines: manyFlows });
    await world.slash('logs helloworld -n istio-testing', { id: 'big' });
    const answer = await finalAnswer(world, 'big');
    const reply = textOf(answer.body);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(reply).toContain('Too big for one message');
    expect(reply).toMatch(/meshbot-logs\.txt \(\d+ KB\)/);
    expect(reply).toContain('in your DM with meshbot');

    const dm = world.api.callsTo('chat.postMessage');
    expect(dm).toHaveLength(1);
    expect(dm[0]?.args.channel).toBe(`D${USER}`);
    expect(textOf(dm[0]?.args.blocks)).toContain('in the thread below');
    const files = world.api.sharedFiles();
    expect(files.map((f) => [f.filename, f.channelId, f.threadTs])).toEqual([
      ['meshbot-logs.txt', `D${USER}`, dm[0]?.response.ts],
      ['meshbot-logs-lines.log', `D${USER}`, dm[0]?.response.ts],
    ]);
    expect(reply).toContain('the raw lines of the errors');
    // The error lines, as logged (secrets redacted), and no successful ones.
    const errors = files[1]?.text ?? '';
    expect(
      errors
        .split('\n')
        .filter((l) => l.startsWith('['))
        .every((l) => !/" 200 - /.test(l)),
    ).toBe(true);
    expect(errors).toMatch(/" 50\d /);
    expect(world.api.callsTo('files.getUploadURLExternal')).toHaveLength(2);
    expect(world.api.callsTo('files.completeUploadExternal')[0]?.args.thread_ts).toBe(dm[0]?.response.ts);

    // The message shows a few flows; the file has the ones cut from it.
    const report = files[0]?.text ?? '';
    const shown = itemPaths(reply);
    const uploaded = itemPaths(report);
    const cut = [...uploaded].filter((p) => !shown.has(p));
    expect(shown.size).toBeGreaterThan(0);
    expect(shown.size).toBeLessThan(100);
    expect(cut.length).toBeGreaterThan(1500);
    expect(report).toContain('INBOUND FLOWS');
    expect(report).toContain('FINDINGS');
    expect(files[0]?.bytes.length).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    expectNoSecrets(world);
    expectWithinBudget(world);
    expect((await auditLines(world))[0]).toMatchObject({ command: 'logs', outcome: 'ok' });
  });

  it('--share posts the summary in the channel and threads the files under that message', async () => {
    world = await startWorld({ extraLines: manyFlows });
    await world.slash('logs helloworld -n istio-testing --share', { id: 'shared', channel: 'C1' });
    await auditLines(world);
    const posts = world.api.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe('C1');
    expect(textOf(posts[0]?.args.blocks)).toContain('Too big for one message');
    expect(textOf(posts[0]?.args.blocks)).toContain('in the thread below');
    expect(world.api.callsTo('conversations.open')).toEqual([]);
    const ts = posts[0]?.response.ts;
    expect(typeof ts).toBe('string');
    const files = world.api.sharedFiles();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatchObject({ filename: 'meshbot-logs.txt', channelId: 'C1', threadTs: ts });
    expect(files[1]).toMatchObject({ filename: 'meshbot-logs-lines.log', channelId: 'C1', threadTs: ts });
    // The ephemeral progress note is removed; nothing else goes to the response_url.
    const responses = world.api.responses.filter((r) => r.id === 'shared');
    expect(responses.map((r) => (r.body as { delete_original?: boolean }).delete_original === true)).toEqual([
      false,
      true,
    ]);
    expectNoSecrets(world);
  });

  it('a trace of very many hops uploads the report and the lines of this request id, each at most 1 MB, redacted', async () => {
    world = await startWorld({ extraLines: manyHops });
    await world.slash(`trace ${TRACE_ID} -n istio-testing`, { id: 'hops' });
    const answer = await finalAnswer(world, 'hops', 15_000);
    const reply = textOf(answer.body);
    expect(reply).toContain('Too big for one message');
    expect(reply).toContain('and the lines of this request id');
    expect(reply).toContain('cut at 1 MB each');
    const files = world.api.sharedFiles();
    expect(files.map((f) => f.filename)).toEqual(['meshbot-trace.txt', 'meshbot-trace-lines.log']);
    const dm = world.api.callsTo('chat.postMessage')[0];
    for (const file of files) {
      expect(file.threadTs).toBe(dm?.response.ts);
      expect(file.bytes.length).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    }
    const lines = files[1]?.text ?? '';
    expect(lines).toMatch(/^# istio-testing\/helloworld-/);
    expect(lines).toContain(TRACE_ID);
    expect(lines).toContain('Bearer [REDACTED]');
    expect(lines).toContain('token=[REDACTED]');
    expect(lines).toMatch(/… lines cut at 1 MB\n$/);
    expect(files[0]?.text).toContain(TRACE_ID);
    expectNoSecrets(world);
    expectWithinBudget(world);
  }, 20_000);

  it('says files were cut only when they were (a log line saying " cut at " is no cut)', async () => {
    world = await startWorld({
      extraLines: ({ server, client }) =>
        Array.from({ length: 1100 }, (_, n) =>
          meshLine({
            secondsAgo: 5,
            direction: 'inbound',
            path: `/hop/${n}`,
            code: 200,
            id: TRACE_ID,
            agent: 'probe/1.0 (hair cut at noon)',
            serverIp: server,
            clientIp: client,
          }),
        ),
    });
    await world.slash(`trace ${TRACE_ID} -n istio-testing`, { id: 'uncut' });
    const reply = textOf((await finalAnswer(world, 'uncut', 15_000)).body);
    expect(reply).toContain('and the lines of this request id');
    const lines = world.api.sharedFiles().find((f) => f.filename === 'meshbot-trace-lines.log');
    expect(lines?.text).toContain('hair cut at noon');
    expect(lines?.text).not.toContain('lines cut at 1 MB');
    expect(reply).not.toContain('cut at 1 MB');
  }, 20_000);

  it('the lines file stays within 1 MB when the cut falls exactly on a line end', async () => {
    world = await startWorld({ extraLines: linesEndingAtOneMiB });
    await world.slash(`trace ${TRACE_ID} -n istio-testing`, { id: 'edge' });
    expect(textOf((await finalAnswer(world, 'edge', 15_000)).body)).toContain('cut at 1 MB each');
    const lines = world.api.sharedFiles().find((f) => f.filename === 'meshbot-trace-lines.log');
    expect(lines?.text).toMatch(/… lines cut at 1 MB\n$/);
    expect(lines?.bytes.length).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    // Whole lines only: every line but the note is an access-log line or a source header.
    const body = (lines?.text ?? '').split('\n').slice(0, -3);
    expect(body.every((l) => l.startsWith('# istio-testing/') || l.endsWith(' default'))).toBe(true);
  }, 20_000);
});

/**
 * Lines for one request id whose `# namespace/pod` block reaches exactly 1 MiB at a line end (the first line
 * padded to make it so), then goes on: the cut of the lines file falls exactly on a newline.
 */
function linesEndingAtOneMiB({
  server,
  client,
  pod,
}: {
  server: string;
  client: string;
  pod: string;
}): LogLine[] {
  const line = (n: number, pad = '') =>
    meshLine({
      secondsAgo: 5,
      direction: 'inbound',
      path: `/edge/${String(n).padStart(5, '0')}${pad}`,
      code: 200,
      id: TRACE_ID,
      serverIp: server,
      clientIp: client,
    });
  const header = Buffer.byteLength(`# istio-testing/${pod}\n`);
  const size = Buffer.byteLength(`${line(0).text}\n`);
  const room = MAX_UPLOAD_BYTES - header;
  const count = Math.floor(room / size);
  const pad = 'p'.repeat(room - count * size);
  return Array.from({ length: count + 40 }, (_, n) => line(n, n === 0 ? pad : ''));
}

describe('meshbot serve: the response_url budget', () => {
  let world: BotWorld;
  afterEach(async () => {
    await world?.close();
  });

  it('a response_url that takes one post: progress there, the answer in the user’s DM', async () => {
    world = await startWorld();
    const url = world.api.responseUrl('one', { maxPosts: 1 });
    await postSlash(world, 'logs helloworld -n istio-testing', url);
    await auditLines(world);
    const dm = await world.api.waitForCall('chat.postMessage', 5000);
    expect(world.api.callsTo('conversations.open')[0]?.args.users).toBe(USER);
    expect(dm.args.channel).toBe(`D${USER}`);
    expect(textOf(dm.args)).toContain('meshbot · logs');
    expect(dm.args.response_type).toBeUndefined();
    expect(dm.args.replace_original).toBeUndefined();
    const posts = world.api.responses.filter((r) => r.id === 'one');
    expect(posts.map((r) => r.status)).toEqual([200, 404]);
  });

  it.each([
    ['answers 404', (world: BotWorld) => world.api.responseUrl('gone', { status: 404 })],
    ['refuses connections', () => 'http://127.0.0.1:1/respond/closed-port'],
  ])('a response_url that %s: the answer goes to the user’s DM', async (_what, urlFor) => {
    world = await startWorld();
    await postSlash(world, `trace ${FAILED_ID} -n istio-testing`, urlFor(world));
    await auditLines(world);
    const dm = await world.api.waitForCall('chat.postMessage', 5000);
    expect(dm.args.channel).toBe(`D${USER}`);
    expect(textOf(dm.args)).toContain(FAILED_ID);
    expect(world.logs.some((l) => l.event === 'slack_error' && l.call === 'response_url')).toBe(true);
    // A trace that fits in one message uploads nothing.
    expect(world.api.callsTo('files.getUploadURLExternal')).toEqual([]);
    expectNoSecrets(world);
  });

  it('three ids traced from one shortcut share one response_url: never more than 5 posts, the rest by DM', async () => {
    world = await startWorld();
    const third = 'deadbeef-0000-4000-8000-00000000beef';
    const payload = messageShortcutPayload({
      callbackId: 'mesh_trace',
      messageText: `alerts: ${FAILED_ID}, ${OK_ID} and ${third}`,
      userId: USER,
      responseUrl: world.api.responseUrl('sc'),
    });
    expect((await postInteraction(world.eventsUrl, SECRET, payload)).status).toBe(200);
    await auditLines(world, 3, (l) => l.source === 'shortcut');
    const posts = world.api.responses.filter((r) => r.id === 'sc');
    expect(posts.length).toBeLessThanOrEqual(5);
    expect(posts.every((r) => r.status === 200)).toBe(true);
    // Each trace posts a progress note and an answer: the third answer no longer fits and goes to the DM.
    const dm = await world.api.waitForCall('chat.postMessage', 5000);
    expect(dm.args.channel).toBe(`D${USER}`);
    expect(textOf(dm.args)).toContain(third);
    expectWithinBudget(world);
  });
});

describe('meshbot serve: a failing Slack never hangs a command', () => {
  let world: BotWorld;
  afterEach(async () => {
    await world?.close();
  });

  it('response_url failing and chat.postMessage answering 500: the command still finishes and is audited', async () => {
    world = await startWorld();
    const fault = world.api.failNext('chat.postMessage', { status: 500, times: 10 });
    const started = Date.now();
    await postSlash(
      world,
      'logs helloworld -n istio-testing',
      world.api.responseUrl('dead', { status: 500 }),
    );
    const [audit] = await auditLines(world);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(audit).toMatchObject({ command: 'logs', outcome: 'ok' });
    expect(fault.hits).toBeGreaterThanOrEqual(1);
    expect(world.logs.some((l) => l.event === 'slack_error' && l.call === 'chat.postMessage')).toBe(true);
    expect(world.bot.slack.inFlight()).toBe(0);
  });

  it('every Web API call rate limited for 2 minutes: gives up at once instead of waiting', async () => {
    world = await startWorld({ extraLines: manyFlows });
    world.api.failNext('*', { retryAfterSeconds: 120, times: 1000 });
    const started = Date.now();
    await postSlash(
      world,
      'logs helloworld -n istio-testing',
      world.api.responseUrl('throttled', { status: 404 }),
    );
    await auditLines(world);
    expect(Date.now() - started).toBeLessThan(5000);
    // One attempt per call: a long Retry-After is not waited out.
    expect(world.api.calls.filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(1);
    expect(world.api.sharedFiles()).toEqual([]);
    const { body } = await world.bot.metrics.render();
    expect(body).toMatch(
      /meshbot_slack_api_errors_total\{method="conversations\.open",kind="rate_limited"\} [1-9]/,
    );
  });

  it('uploads failing: the reply says the report could not be uploaded', async () => {
    world = await startWorld({ extraLines: manyFlows });
    world.api.failNext('files.completeUploadExternal', { status: 500, times: 10 });
    await world.slash('logs helloworld -n istio-testing', { id: 'noupload' });
    const answer = await finalAnswer(world, 'noupload');
    expect(textOf(answer.body)).toContain('could not be uploaded');
    expect((await auditLines(world))[0]).toMatchObject({ outcome: 'ok' });
    expect(world.logs.some((l) => l.event === 'slack_error' && l.call === 'files.uploadV2')).toBe(true);
  });

  it('Slack gone altogether (connections refused): the command finishes and is audited', async () => {
    world = await startWorld();
    const url = world.api.responseUrl('void');
    await world.api.close();
    const started = Date.now();
    await postSlash(world, `trace ${FAILED_ID} -n istio-testing`, url);
    const [audit] = await auditLines(world);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(audit).toMatchObject({ command: 'trace', outcome: 'ok' });
    expect(world.logs.filter((l) => l.event === 'slack_error').map((l) => l.call)).toEqual([
      'response_url',
      'response_url',
      'chat.postMessage',
    ]);
  });
});

async function postSlash(world: BotWorld, text: string, responseUrl: string): Promise<void> {
  const ack = await postSlashCommand(world.eventsUrl, SECRET, {
    text,
    user_id: USER,
    channel_id: 'C1',
    response_url: responseUrl,
  });
  expect(ack.status).toBe(200);
}
