/**
 * The Slack bot end to end over real protocols on loopback: the real Bolt app (HTTP mode) receiving
 * correctly signed slash commands, clicks, shortcuts and events; the Slack Web API stand-in recording every
 * call; the fake Kubernetes API server behind the real client-node adapters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  appHomeOpenedEvent,
  blockActionPayload,
  messageShortcutPayload,
  postEvent,
  postInteraction,
  postSlashCommand,
  type RecordedResponse,
} from '../support/slack/index.js';
import {
  ADMIN,
  auditLines,
  type BotWorld,
  everythingSent,
  FAILED_ID,
  LEAKED,
  NOW,
  SECRET,
  startWorld,
  USER,
} from './slack-bot-fixtures.js';

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}

function blocksOf(body: unknown): { type: string; elements?: Button[]; text?: { text: string } }[] {
  const blocks = (body as { blocks?: unknown }).blocks;
  return Array.isArray(blocks)
    ? (blocks as { type: string; elements?: Button[]; text?: { text: string } }[])
    : [];
}

function buttons(body: unknown): Button[] {
  return blocksOf(body).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
}

function textOf(body: unknown): string {
  return JSON.stringify(body);
}

async function finalAnswer(world: BotWorld, id: string): Promise<RecordedResponse> {
  return world.api.waitFor(
    () =>
      world.api.responses.find((r) => {
        const body = r.body as { text?: string; delete_original?: boolean };
        return (
          r.id === id &&
          body.delete_original !== true &&
          !String(body.text ?? '').startsWith(':hourglass_flowing_sand:')
        );
      }),
    8000,
    `the final answer on ${id}`,
  );
}

function writes(world: BotWorld): string[] {
  return world.kube.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

describe('meshbot serve (HTTP mode)', () => {
  let world: BotWorld;
  afterEach(async () => {
    await world?.close();
  });

  it('acks a slash command at once, shows progress, then answers with the summary and buttons', async () => {
    world = await startWorld();
    world.kube.delayLogs(3500);
    const ack = await world.slash('logs helloworld -n istio-testing', { id: 'logs' });
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(3000);
    const answer = await finalAnswer(world, 'logs');
    const posts = world.api.responses.filter((r) => r.id === 'logs');
    expect(JSON.stringify(posts[0]?.body)).toContain('Reading istio-proxy logs of 2 pods');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    const text = textOf(answer.body);
    expect(text).toContain('500');
    const labels = buttons(answer.body).map((b) => b.text.text);
    expect(labels).toEqual(['Trace an example request', 'Refresh']);
    expect(buttons(answer.body)[1]?.value).toBe('logs helloworld -n istio-testing');
    expect((await auditLines(world))[0]).toMatchObject({
      user: USER,
      command: 'logs',
      outcome: 'ok',
      source: 'slash_command',
    });
  });

  it('--share posts the answer in the channel', async () => {
    world = await startWorld();
    await world.slash('trace be5acb4a-9e3e-4540-814d-07c2c7dcf7f1 -n istio-testing --share', { id: 'share' });
    const answer = await finalAnswer(world, 'share');
    expect(answer.body).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(answer.body)).toContain(FAILED_ID);
  });

  it('never posts log content as a mention, a link or a secret', async () => {
    world = await startWorld();
    await world.slash(`trace ${FAILED_ID} -n istio-testing`, { id: 'evil' });
    const answer = await finalAnswer(world, 'evil');
    expect(textOf(answer.body)).toContain('/hello');
    const sent = everythingSent(world.api);
    expect(sent).not.toContain(LEAKED);
    expect(sent).not.toContain('<!channel>');
    expect(sent).not.toContain('<https://evil.example');
  });

  it('undoes Slack escaping before parsing (&lt;, <#C|name>, auto-linked names)', async () => {
    world = await startWorld();
    await world.slash('logs <http://helloworld|helloworld> -n <#C123|istio-testing> --since 30m', {
      id: 'esc',
    });
    const answer = await finalAnswer(world, 'esc');
    expect(textOf(answer.body)).not.toContain('is not a namespace');
    expect(buttons(answer.body).map((b) => b.value)).toContain(
      'logs helloworld -n istio-testing --since 30m',
    );
  });

  it.each([
    ['frobnicate', 'unknown command', 'Usage: /mesh COMMAND'],
    ['logs helloworld --since 5 minutes', 'is not a duration', 'Usage: /mesh logs'],
    ['logs helloworld -n Bad_NS', 'is not a namespace name', 'Usage: /mesh logs'],
    ['logs helloworld --kubeconfig /etc/passwd', 'not available in Slack', 'Usage: /mesh logs'],
    ['trace "not an id" -A', 'is not a request id', 'Usage: /mesh trace'],
  ])(
    '%s → one line saying what is wrong, that command’s help, and no cluster call',
    async (text, problem, help) => {
      world = await startWorld();
      world.kube.clearRequests();
      await world.slash(text, { id: 'bad' });
      const answer = await finalAnswer(world, 'bad');
      const body = textOf(answer.body);
      expect(body).toContain(problem);
      expect(body).toContain(help);
      expect(world.kube.requests).toEqual([]);
      expect((await auditLines(world))[0]).toMatchObject({ outcome: 'usage_error' });
    },
  );

  it('/mesh help and /mesh help logs are generated from the grammar for Slack', async () => {
    world = await startWorld();
    await world.slash('help', { id: 'h1' });
    await world.slash('help logs', { id: 'h2' });
    const general = textOf((await finalAnswer(world, 'h1')).body);
    const logs = textOf((await finalAnswer(world, 'h2')).body);
    expect(general).toContain('enable-logging');
    expect(general).not.toContain('reconcile');
    expect(logs).toContain('--share');
    expect(logs).not.toContain('--kubeconfig');
  });

  it('refuses changes to non-admins, saying how to get access, and changes nothing', async () => {
    world = await startWorld();
    world.kube.clearRequests();
    await world.slash('enable-logging istio-testing --for 1h', { id: 'no' });
    const answer = await finalAnswer(world, 'no');
    expect(textOf(answer.body)).toContain('MESHBOT_ADMINS');
    expect(world.kube.requests).toEqual([]);
    expect((await auditLines(world))[0]).toMatchObject({ outcome: 'refused', changes: [] });
  });

  it('refuses namespaces outside MESHBOT_NAMESPACES before any read', async () => {
    world = await startWorld({ env: { MESHBOT_NAMESPACES: '*,!kube-system,!secret-team' } });
    world.kube.clearRequests();
    await world.slash('logs vault -n secret-team', { id: 'ns' });
    expect(textOf((await finalAnswer(world, 'ns')).body)).toContain('secret-team');
    expect(world.kube.requests).toEqual([]);
    await world.slash(`trace ${FAILED_ID} -A`, { id: 'all' });
    await finalAnswer(world, 'all');
    const read = world.kube.requests.filter((r) => r.path.endsWith('/log')).map((r) => r.path);
    expect(read.some((p) => p.includes('/namespaces/secret-team/'))).toBe(false);
    expect(read.some((p) => p.includes('/namespaces/istio-testing/'))).toBe(true);
  });

  it('enable-logging for an admin: Telemetry created, Extend/Disable buttons that work after a restart', async () => {
    world = await startWorld();
    await world.slash('enable-logging istio-testing --for 30m', { user: ADMIN, id: 'on' });
    const answer = await finalAnswer(world, 'on');
    expect(world.kube.listObjects('telemetry.istio.io/v1', 'telemetries', 'istio-testing')).toHaveLength(1);
    const [extend, disable] = buttons(answer.body);
    expect(extend?.value).toBe('enable-logging istio-testing --for 1h');
    expect(disable?.value).toBe('disable-logging istio-testing');
    const [audit] = await auditLines(world, 1, (l) => l.command === 'enable-logging');
    expect(audit).toMatchObject({ user: ADMIN, outcome: 'ok' });
    expect(JSON.stringify(audit?.changes)).toMatch(/^\["create Telemetry istio-testing\//);

    await world.restart();
    // A reader's click is re-authorized: refused, nothing deleted.
    const readerClick = blockActionPayload({
      actionId: disable?.action_id ?? '',
      value: disable?.value ?? '',
      userId: USER,
      responseUrl: world.api.responseUrl('click-reader'),
    });
    expect((await postInteraction(world.eventsUrl, SECRET, readerClick)).status).toBe(200);
    expect(textOf((await finalAnswer(world, 'click-reader')).body)).toContain('MESHBOT_ADMINS');
    expect(world.kube.listObjects('telemetry.istio.io/v1', 'telemetries', 'istio-testing')).toHaveLength(1);
    // The admin's click, on the restarted bot, disables it.
    const adminClick = blockActionPayload({
      actionId: disable?.action_id ?? '',
      value: disable?.value ?? '',
      userId: ADMIN,
      responseUrl: world.api.responseUrl('click-admin'),
    });
    expect((await postInteraction(world.eventsUrl, SECRET, adminClick)).status).toBe(200);
    await finalAnswer(world, 'click-admin');
    expect(world.kube.listObjects('telemetry.istio.io/v1', 'telemetries', 'istio-testing')).toHaveLength(0);
  });

  it('asks for confirmation before a mesh-wide change', async () => {
    world = await startWorld();
    world.kube.clearRequests();
    await world.slash('enable-logging --mesh --for 1h', { user: ADMIN, id: 'mesh' });
    const answer = await finalAnswer(world, 'mesh');
    expect(writes(world)).toEqual([]);
    const confirm = buttons(answer.body)[0];
    expect(confirm?.value).toBe('enable-logging --mesh --for 1h --yes');
    await postInteraction(
      world.eventsUrl,
      SECRET,
      blockActionPayload({
        actionId: confirm?.action_id ?? '',
        value: confirm?.value ?? '',
        userId: ADMIN,
        responseUrl: world.api.responseUrl('yes'),
      }),
    );
    await finalAnswer(world, 'yes');
    expect(world.kube.listObjects('telemetry.istio.io/v1', 'telemetries', 'istio-system')).toHaveLength(1);
  });

  it('the message shortcut traces the request ids it finds in a message', async () => {
    world = await startWorld();
    const payload = messageShortcutPayload({
      callbackId: 'mesh_trace',
      messageText: `:rotating_light: 5xx on helloworld, see request ${FAILED_ID} and again ${FAILED_ID.toUpperCase()}`,
      userId: USER,
      responseUrl: world.api.responseUrl('sc'),
    });
    const ack = await postInteraction(world.eventsUrl, SECRET, payload);
    expect(ack.status).toBe(200);
    const answer = await finalAnswer(world, 'sc');
    expect(textOf(answer.body)).toContain(FAILED_ID);
    expect(await auditLines(world, 1, (l) => l.source === 'shortcut')).toHaveLength(1);

    const none = messageShortcutPayload({
      callbackId: 'mesh_trace',
      messageText: 'no ids here',
      responseUrl: world.api.responseUrl('sc0'),
    });
    await postInteraction(world.eventsUrl, SECRET, none);
    expect(textOf((await finalAnswer(world, 'sc0')).body)).toContain('No request ids found');
  });

  it('App Home shows where logging is on, with Disable/Extend only for admins', async () => {
    world = await startWorld();
    await world.slash('enable-logging istio-testing --for 1h', { user: ADMIN, id: 'on' });
    await finalAnswer(world, 'on');
    for (const user of [ADMIN, USER]) {
      expect((await postEvent(world.eventsUrl, SECRET, appHomeOpenedEvent({ userId: user }))).status).toBe(
        200,
      );
    }
    const views = await world.api.waitFor(() => {
      const calls = world.api.callsTo('views.publish');
      return calls.length >= 2 ? calls : undefined;
    }, 5000);
    const byUser = new Map(views.map((c) => [String(c.args.user_id), c.args.view]));
    expect(textOf(byUser.get(ADMIN))).toContain('istio-testing');
    expect(buttons(byUser.get(ADMIN)).map((b) => b.text.text)).toEqual(['Extend 1h', 'Disable']);
    expect(buttons(byUser.get(USER))).toEqual([]);
  });

  it('rejects a wrong signature or a stale timestamp with 401, and runs nothing', async () => {
    world = await startWorld();
    const wrong = await postSlashCommand(world.eventsUrl, 'not-the-secret', { text: 'status' });
    const stale = await postSlashCommand(
      world.eventsUrl,
      SECRET,
      { text: 'status' },
      {
        timestamp: Math.floor(Date.now() / 1000) - 600,
      },
    );
    expect([wrong.status, stale.status]).toEqual([401, 401]);
    expect(world.logs.filter((l) => l.event === 'audit')).toEqual([]);
  });

  it('serves /healthz, /readyz and /metrics on its port', async () => {
    world = await startWorld();
    await world.slash('status istio-testing', { id: 'st' });
    await finalAnswer(world, 'st');
    expect((await fetch(`${world.base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${world.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toContain('kubernetes: ok');
    const metrics = await (await fetch(`${world.base}/metrics`)).text();
    expect(metrics).toMatch(/meshbot_commands_total\{command="status",outcome="ok"\} 1/);
    await world.kube.close();
    const down = await fetch(`${world.base}/readyz`);
    await new Promise((r) => setTimeout(r, 1100));
    const later = await fetch(`${world.base}/readyz`);
    expect([down.status, later.status]).toContain(503);
  });

  it('a burst of 50 commands from 10 users: all acked in time, answered or told to wait, reads bounded', async () => {
    world = await startWorld();
    world.kube.delayLogs(200);
    world.kube.resetCounters();
    const sent = Array.from({ length: 50 }, (_, i) =>
      postSlashCommand(world.eventsUrl, SECRET, {
        text: i % 2 === 0 ? 'logs helloworld -n istio-testing' : `trace ${FAILED_ID} -n istio-testing`,
        user_id: `UBURST${Math.floor(i / 5)}`,
        response_url: world.api.responseUrl(`b${i}`),
      }),
    );
    const acks = await Promise.all(sent);
    expect(acks.every((a) => a.status === 200 && a.ms < 3000)).toBe(true);
    await auditLines(world, 50, () => true, 30_000);
    const outcomes = world.logs.filter((l) => l.event === 'audit').map((l) => l.outcome);
    expect(outcomes.every((o) => o === 'ok' || o === 'busy')).toBe(true);
    // Each user may run one logs and one trace at a time: at least those two of their five ran.
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(20);
    for (let i = 0; i < 50; i++) {
      const answer = await finalAnswer(world, `b${i}`);
      const text = textOf(answer.body);
      expect(text.includes('still running') || text.includes('helloworld') || text.includes(FAILED_ID)).toBe(
        true,
      );
    }
    expect(world.kube.maxInFlight).toBeLessThanOrEqual(4);
    expect(world.bot.limiter.peak).toBeLessThanOrEqual(4);
  }, 40_000);

  it('admins may be a user group; audit lines also go to MESHBOT_AUDIT_CHANNEL', async () => {
    world = await startWorld({ env: { MESHBOT_ADMINS: 'S0SRE', MESHBOT_AUDIT_CHANNEL: 'CAUDIT1' } });
    world.api.setUserGroup('S0SRE', [USER]);
    await world.slash('enable-logging istio-testing --for 1h --dry-run', { id: 'grp' });
    const answer = await finalAnswer(world, 'grp');
    expect(textOf(answer.body)).toContain('would');
    const posted = await world.api.waitForCall(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'CAUDIT1',
    );
    expect(String(posted.args.text)).toContain('enable-logging istio-testing --for 1h --dry-run');
    expect(String(posted.args.text)).toContain(`<@${USER}>`);
    expect(writes(world)).toEqual([]);
  });

  it('runs the expiry reconciler: an expired change is reverted, audited and counted', async () => {
    let now = NOW.getTime();
    world = await startWorld({
      clock: () => now,
      reconcile: true,
      env: { MESHBOT_RECONCILE_INTERVAL: '1s' },
    });
    await world.slash('enable-logging istio-testing --for 30m', { user: ADMIN, id: 'on' });
    await finalAnswer(world, 'on');
    expect(world.kube.listObjects('telemetry.istio.io/v1', 'telemetries', 'istio-testing')).toHaveLength(1);
    now += 31 * 60_000;
    await auditLines(world, 1, (l) => l.source === 'reconciler', 8000);
    expect(world.kube.listObjects('telemetry.istio.io/v1', 'telemetries', 'istio-testing')).toHaveLength(0);
    const metrics = await (await fetch(`${world.base}/metrics`)).text();
    expect(metrics).toMatch(/meshbot_reconciler_reverts_total 1/);
  }, 15_000);
});
