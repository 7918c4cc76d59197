/** The App Home tab: status entries, admin-only Extend/Disable buttons, Slack's limits and escaping. */
import { describe, expect, it } from 'vitest';
import { parseTokens, prepareCommand } from '../commands/command-table.js';
import { tokenizeCommandText } from '../commands/parse-command-line.js';
import type { LoggingStatusEntry, LoggingStatusResult } from '../istio-logging/logging-result.js';
import { sampleStatusEntry } from '../render/sample-reports.test-helper.js';
import type { ActionsBlock, ButtonElement, SlackBlock } from '../render/slack-message.js';
import { homeView } from './home-view.js';

const NOW = Date.parse('2025-03-04T10:00:00Z');
const LIMITS = { maxLoggingMs: 4 * 3600_000 };
const everyone = () => true;
const nobody = () => false;

function entry(extra: Partial<LoggingStatusEntry> = {}): LoggingStatusEntry {
  return sampleStatusEntry({ sinceMs: NOW - 600_000, untilMs: NOW + 3_000_000, ...extra });
}

function status(
  entries: LoggingStatusEntry[],
  extra: Partial<LoggingStatusResult> = {},
): LoggingStatusResult {
  return {
    command: 'status',
    scope: 'all',
    nowMs: NOW,
    mesh: { found: true, rootNamespace: 'istio-system' },
    entries,
    ...extra,
  };
}

function actions(blocks: readonly SlackBlock[]): ActionsBlock[] {
  return blocks.filter((b): b is ActionsBlock => b.type === 'actions');
}

function buttons(blocks: readonly SlackBlock[]): ButtonElement[] {
  return actions(blocks).flatMap((b) => b.elements);
}

/** Every text a user can see, in order. */
function texts(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((b) => {
    switch (b.type) {
      case 'header':
        return [b.text.text];
      case 'section':
        return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
      case 'context':
        return b.elements.map((e) => e.text);
      case 'actions':
        return b.elements.map((e) => e.text.text);
      case 'divider':
        return [];
      default: {
        const never: never = b;
        return [String(never)];
      }
    }
  });
}

const MIXED: LoggingStatusEntry[] = [
  entry({ namespace: 'shop' }),
  entry({ namespace: 'pay', scope: 'workload', selector: 'app=api', managed: 'patched', mode: 'SERVER' }),
  entry({ namespace: 'legacy', name: 'mesh-default', managed: 'none', requestedBy: undefined }),
  entry({ namespace: 'istio-system', scope: 'mesh', name: 'mesh-wide' }),
  entry({ namespace: 'old', untilMs: NOW - 120_000 }),
];

describe('homeView', () => {
  it('is a home view with a header, one section per entry and a footer', () => {
    const view = homeView(status(MIXED), { nowMs: NOW, isAdmin: nobody });
    expect(view.type).toBe('home');
    expect(view.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Istio access logging right now' },
    });
    const all = texts(view.blocks);
    expect(all[1]).toBe('Access logging is configured in 5 places:');
    expect(all.filter((t) => t.startsWith('`'))).toHaveLength(5);
    expect(all.join('\n')).toContain(
      '`shop` Telemetry `meshbot-access-logging`: mode CLIENT_AND_SERVER; by slack:U123, expires in 50m',
    );
    expect(all.join('\n')).toContain('expires in 50m');
    expect(all.join('\n')).toContain('expired 2m ago');
    expect(all.join('\n')).toContain('`pay [app=api]`');
    expect(all.join('\n')).toContain('`istio-system (whole mesh)`');
    expect(all.join('\n')).toContain('not managed by meshbot');
    expect(all.at(-1)).toContain('Updated 2025-03-04T10:00:00Z.');
  });

  it('gives admins Extend and Disable for managed namespace and workload entries only', () => {
    const view = homeView(status(MIXED), { nowMs: NOW, isAdmin: everyone });
    const values = buttons(view.blocks).map((b) => [b.text.text, b.value]);
    expect(values).toEqual([
      ['Extend 1h', 'enable-logging shop --for 1h'],
      ['Disable', 'disable-logging shop'],
      ['Extend 1h', 'enable-logging pay --for 1h --workload app=api --mode server'],
      ['Disable', 'disable-logging pay --workload app=api'],
      ['Extend 1h', 'enable-logging old --for 1h'],
      ['Disable', 'disable-logging old'],
    ]);
    // Each actions block follows the section of its entry.
    view.blocks.forEach((b, i) => {
      if (b.type === 'actions') expect(view.blocks[i - 1]?.type).toBe('section');
    });
    const ids = buttons(view.blocks).map((b) => b.action_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every button re-parses and prepares as a Slack command', () => {
    const view = homeView(status(MIXED), { nowMs: NOW, isAdmin: everyone });
    for (const b of buttons(view.blocks)) {
      const prepared = prepareCommand(parseTokens(tokenizeCommandText(b.value), 'slack'), LIMITS);
      expect(prepared.spec.mutating).toBe(true);
      expect(prepared.scope.kind).toBe('namespaces');
    }
  });

  it('gives non-admins no buttons', () => {
    expect(actions(homeView(status(MIXED), { nowMs: NOW, isAdmin: nobody }).blocks)).toEqual([]);
  });

  it('asks about admin rights per namespace', () => {
    const asked: string[] = [];
    const view = homeView(status(MIXED), {
      nowMs: NOW,
      isAdmin: (ns) => {
        asked.push(ns);
        return ns === 'pay';
      },
    });
    expect(asked).toEqual(MIXED.map((e) => e.namespace));
    expect(buttons(view.blocks).map((b) => b.value)).toEqual([
      'enable-logging pay --for 1h --workload app=api --mode server',
      'disable-logging pay --workload app=api',
    ]);
  });

  it('never gives buttons to unmanaged or mesh-wide entries', () => {
    const view = homeView(
      status([
        entry({ managed: 'none' }),
        entry({ scope: 'mesh', namespace: 'istio-system' }),
        entry({ scope: 'mesh', namespace: 'istio-system', managed: 'patched' }),
      ]),
      { nowMs: NOW, isAdmin: everyone },
    );
    expect(actions(view.blocks)).toEqual([]);
  });

  it('counts the entries beyond 30 and stays within 100 blocks', () => {
    const many = Array.from({ length: 45 }, (_, i) => entry({ namespace: `ns-${i}` }));
    const view = homeView(status(many), { nowMs: NOW, isAdmin: everyone });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const sections = view.blocks.filter((b) => b.type === 'section');
    // The summary line and 30 entries.
    expect(sections).toHaveLength(31);
    expect(actions(view.blocks)).toHaveLength(30);
    expect(texts(view.blocks)).toContain('_…and 15 more: /mesh status NAMESPACE_');
    expect(texts(view.blocks).join('\n')).not.toContain('ns-30');
  });

  it.each([0, 1, 29, 30, 31, 100, 1000])('stays within 100 blocks with %i entries', (n) => {
    const many = Array.from({ length: n }, (_, i) => entry({ namespace: `ns-${i}` }));
    const view = homeView(status(many), { nowMs: NOW, isAdmin: everyone });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(texts(view.blocks).some((t) => t.includes(' more: /mesh status'))).toBe(n > 30);
  });

  it('says so when nothing logs, and when the mesh config already logs everything', () => {
    expect(texts(homeView(status([]), { nowMs: NOW, isAdmin: everyone }).blocks)[1]).toBe(
      'No Telemetry or EnvoyFilter switches access logging on in the namespaces meshbot may show.',
    );
    const meshWide = status([], {
      mesh: { found: true, rootNamespace: 'istio-system', accessLogFile: '/dev/stdout' },
    });
    expect(texts(homeView(meshWide, { nowMs: NOW, isAdmin: everyone }).blocks)[1]).toBe(
      '*The mesh config logs every proxy already* (accessLogFile `/dev/stdout`).',
    );
    expect(texts(homeView(status([entry()]), { nowMs: NOW, isAdmin: everyone }).blocks)[1]).toBe(
      'Access logging is configured in 1 place:',
    );
  });

  it('shows an error, escaped', () => {
    const view = homeView(
      { error: 'cannot list <!channel> & <https://evil|x>' },
      { nowMs: NOW, isAdmin: everyone },
    );
    expect(texts(view.blocks)[1]).toBe(':warning: cannot list &lt;!channel&gt; &amp; &lt;https://evil|x&gt;');
    expect(actions(view.blocks)).toEqual([]);
  });

  describe('escapes what comes from the cluster', () => {
    const hostile = [
      entry({
        namespace: 'shop',
        name: '<!channel> *bold*',
        filter: 'x == "<!channel>" && *bold* ~strike~ `code`',
        requestedBy: '<@U999> *bold* <!here>',
        providers: ['envoy'],
      }),
      entry({
        namespace: 'pay',
        scope: 'workload',
        selector: 'app=<!channel>',
        managed: 'none',
        name: 'x`<!everyone>`y',
      }),
      entry({ namespace: 'istio-system', scope: 'mesh', kind: 'EnvoyFilter', name: '<!subteam^S1>' }),
    ];
    const view = homeView(
      status(hostile, { mesh: { found: true, rootNamespace: 'istio-system', accessLogFile: '<!channel>' } }),
      { nowMs: NOW, isAdmin: everyone },
    );
    const all = texts(view.blocks).join('\n');

    it('leaves no raw mention or link', () => {
      expect(all).not.toMatch(/<[!@#]/);
      expect(all).not.toContain('<!channel>');
      expect(all).toContain('&lt;!channel&gt;');
    });

    it('keeps formatting characters of prose from formatting (code spans show them as typed)', () => {
      const prose = all.replace(/`[^`\n]*`/g, '');
      expect(prose).not.toContain('*bold*');
      expect(prose).not.toContain('~strike~');
      expect(prose).toContain('∗bold∗');
      expect(all).toContain('`&lt;!channel&gt; *bold*`');
    });

    it('keeps the filter intact in the Extend button', () => {
      const extend = buttons(view.blocks).find((b) => b.text.text.startsWith('Extend'));
      const prepared = prepareCommand(parseTokens(tokenizeCommandText(extend?.value ?? ''), 'slack'), LIMITS);
      expect(prepared.request).toMatchObject({ filter: 'x == "<!channel>" && *bold* ~strike~ `code`' });
    });
  });

  // Slack refuses a section whose text is over 3000 characters, and then the whole Home tab fails to
  // publish. The filter and the requester are each cut to 500 characters before escaping, but escaping
  // turns `&` into 5 characters (`<`, `>` into 4), so a Telemetry whose filter and requested-by annotation
  // are long and full of `&&` (anyone who may edit Telemetry in one namespace can write both) breaks the tab.
  it('keeps every section within Slack’s 3000 characters for long, escape-heavy values', () => {
    const long = entry({
      filter: `response.code >= 500 ${'&& request.size > 0 '.repeat(60)}`,
      requestedBy: '&'.repeat(600),
    });
    const view = homeView(status([long]), { nowMs: NOW, isAdmin: everyone });
    for (const text of texts(view.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
  });
});
