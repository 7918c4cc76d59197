/**
 * @module slack/access-policy
 * Who may run what, where: allowed channels, admins for commands that change the mesh, and the
 * namespaces meshbot may look at. Pure (no Slack SDK); refusals are one actionable line with no Slack
 * formatting but backticks. The `MESHBOT_NAMESPACES` glob syntax lives in `core/config.ts` (the core
 * cannot import from here) and is re-exported.
 */
import { formatNamespacePatterns, type NamespacePatterns, namespaceAllowed } from '../core/config.js';

export {
  formatNamespacePatterns,
  globMatch,
  type NamespacePatterns,
  type NamespacePatternsResult,
  namespaceAllowed,
  parseNamespacePatterns,
} from '../core/config.js';

export interface AccessPolicy {
  readonly admins: { readonly users: readonly string[]; readonly groups: readonly string[] };
  /** `null`: any channel, direct messages included. */
  readonly allowedChannels: readonly string[] | null;
  readonly namespaces: NamespacePatterns;
}

export interface AccessRequest {
  readonly userId: string;
  /** Ids (`S…`) of the user groups the user is in. */
  readonly userGroups: readonly string[];
  /** `null` or `D…`: a direct message. */
  readonly channelId: string | null;
  /** Whether the command changes the mesh (enable/disable logging…). */
  readonly mutating: boolean;
  /** The namespaces the command touches; `'all'` when it spans every namespace (then filter the output). */
  readonly namespaces: readonly string[] | 'all';
}

export type AccessDecision =
  | { allowed: true }
  | { allowed: false; reason: 'channel' | 'admin' | 'namespace'; message: string };

const HOW_TO_BE_ADMIN = (userId: string): string =>
  `ask a meshbot operator to add your Slack user id \`${userId}\` (or a user group you are in) to \`MESHBOT_ADMINS\``;

/** Only characters that cannot break out of a backtick span or ping anyone. */
function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 63) || '?';
}

function isDirectMessage(channelId: string | null): boolean {
  return channelId === null || channelId.startsWith('D');
}

/**
 * Decides in order: channel (`allowedChannels`; direct messages only when it is `null`), admin rights for
 * mutating commands (a listed user or a member of a listed group; none listed means nobody), then every
 * namespace asked for must match `namespaces` (`'all'` passes; the command filters what it shows).
 */
export function checkAccess(policy: AccessPolicy, ask: AccessRequest): AccessDecision {
  const user = safeId(ask.userId);
  if (policy.allowedChannels !== null) {
    if (isDirectMessage(ask.channelId)) {
      return {
        allowed: false,
        reason: 'channel',
        message:
          'meshbot only works in its allowed channels, not in direct messages; run the command in one of them.',
      };
    }
    if (ask.channelId !== null && !policy.allowedChannels.includes(ask.channelId)) {
      return {
        allowed: false,
        reason: 'channel',
        message: `meshbot is not enabled in this channel; use an allowed channel, or ask a meshbot operator to add \`${safeId(ask.channelId)}\` to \`MESHBOT_ALLOWED_CHANNELS\`.`,
      };
    }
  }
  if (ask.mutating) {
    const { users, groups } = policy.admins;
    const isAdmin = users.includes(ask.userId) || ask.userGroups.some((g) => groups.includes(g));
    if (!isAdmin) {
      const why =
        users.length + groups.length === 0
          ? 'This command changes the mesh and no meshbot admins are configured'
          : 'Only meshbot admins may run commands that change the mesh';
      return { allowed: false, reason: 'admin', message: `${why}; ${HOW_TO_BE_ADMIN(user)}.` };
    }
  }
  if (ask.namespaces !== 'all') {
    const denied = [...new Set(ask.namespaces.filter((ns) => !namespaceAllowed(policy.namespaces, ns)))];
    if (denied.length > 0) {
      const names = denied.map((ns) => `\`${safeId(ns)}\``).join(', ');
      return {
        allowed: false,
        reason: 'namespace',
        message: `meshbot may not access namespace${denied.length > 1 ? 's' : ''} ${names} (\`MESHBOT_NAMESPACES\` is \`${formatNamespacePatterns(policy.namespaces) || 'empty'}\`); ask a meshbot operator if it should.`,
      };
    }
  }
  return { allowed: true };
}

/** The names the patterns allow, in their order: for commands that span every namespace. */
export function filterNamespaces(patterns: NamespacePatterns, names: readonly string[]): string[] {
  return names.filter((name) => namespaceAllowed(patterns, name));
}
