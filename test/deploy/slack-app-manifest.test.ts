/**
 * deploy/slack-app-manifest.yaml against the bot's code: the bot scopes are exactly those the Web API
 * methods it calls need (found by scanning src/slack for `client.<method>(` calls, each of which must be in
 * the table below), and the slash command, shortcut and events are the ones its listeners handle. Slack's
 * manifest limits are checked too, since Slack refuses the paste otherwise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TRACE_SHORTCUT } from '../../src/slack/slack-app.js';
import { readRepoFile } from './deploy-files.js';

/** Web API method → the bot scopes it needs (docs.slack.dev/reference/methods). */
const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'conversations.open': ['im:write'],
  // files.getUploadURLExternal + files.completeUploadExternal
  'files.uploadV2': ['files:write'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'views.publish': [],
  'views.open': [],
};
/** Listeners → the scopes they need: slash commands and shortcuts both come with `commands`. */
const LISTENER_SCOPES: Record<string, string[]> = {
  command: ['commands'],
  shortcut: ['commands'],
  event: [],
  action: [],
};

interface Manifest {
  display_information: { name: string; description: string; long_description?: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: { command: string; description: string; usage_hint?: string; url?: string }[];
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readRepoFile('deploy/slack-app-manifest.yaml')) as Manifest;
const slackDir = new URL('../../src/slack/', import.meta.url);
const slackSource = readdirSync(slackDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => readFileSync(new URL(f, slackDir), 'utf8'))
  .join('\n');

const methods = [
  ...new Set(
    [...slackSource.matchAll(/\bclient\.([a-z]+(?:\.[a-zA-Z0-9]+)+)\(/g)].map((m) => m[1] as string),
  ),
];
const listeners = [
  ...slackSource.matchAll(/\bapp\.(command|shortcut|event|action|view|message|options)\(\s*([^,]+),/g),
].map((m) => ({ kind: m[1] as string, key: (m[2] as string).trim() }));

describe('the Slack app manifest', () => {
  it('finds the Web API calls and listeners (the checks below would pass on none), each in the table', () => {
    expect(methods).toEqual(expect.arrayContaining(['chat.postMessage', 'files.uploadV2', 'views.publish']));
    expect(methods.filter((m) => METHOD_SCOPES[m] === undefined)).toEqual([]);
    expect(listeners.map((l) => l.kind)).toEqual(expect.arrayContaining(['command', 'shortcut', 'event']));
    expect(listeners.filter((l) => LISTENER_SCOPES[l.kind] === undefined)).toEqual([]);
  });

  it('asks for exactly the bot scopes the calls and listeners need, and no user scope', () => {
    const needed = new Set([
      ...methods.flatMap((m) => METHOD_SCOPES[m] ?? []),
      ...listeners.flatMap((l) => LISTENER_SCOPES[l.kind] ?? []),
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('has the /mesh command the command listener accepts, the shortcut by its callback id, and the events listened to', () => {
    const command = listeners.find((l) => l.kind === 'command');
    const pattern = new RegExp((/^\/(.*)\/$/.exec(command?.key ?? '') ?? [])[1] ?? '^$');
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/mesh']);
    expect(pattern.test('/mesh')).toBe(true);
    expect(listeners.find((l) => l.kind === 'shortcut')?.key).toBe('TRACE_SHORTCUT');
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'message', callback_id: TRACE_SHORTCUT }),
    ]);
    const events = listeners.filter((l) => l.kind === 'event').map((l) => l.key.replace(/^'|'$/g, ''));
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(events.sort());
  });

  it('turns on App Home, interactivity (buttons, the shortcut) and Socket Mode', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true); // answers sent to the user's DM
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.features.slash_commands[0]?.url).toBeUndefined();
  });

  it("keeps within Slack's manifest limits", () => {
    const { display_information: info, features } = manifest;
    expect(info.name.length).toBeLessThanOrEqual(35);
    expect(info.description.length).toBeLessThan(140);
    expect(info.long_description?.length ?? 0).toBeGreaterThanOrEqual(174);
    expect(info.long_description?.length ?? 0).toBeLessThanOrEqual(4000);
    expect(features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    for (const s of features.shortcuts) {
      expect(s.name.length).toBeLessThanOrEqual(24);
      expect(s.description.length).toBeLessThanOrEqual(150);
    }
    for (const c of features.slash_commands) {
      expect(c.command.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(2000);
      expect(c.usage_hint?.length ?? 0).toBeLessThanOrEqual(1000);
    }
  });
});
