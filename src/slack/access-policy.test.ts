import { describe, expect, it } from 'vitest';
import { type AccessPolicy, type AccessRequest, checkAccess, filterNamespaces } from './access-policy.js';

const policy: AccessPolicy = {
  admins: { users: ['UADMIN'], groups: ['SSRE'] },
  allowedChannels: null,
  namespaces: { include: ['*'], exclude: ['kube-system'] },
};

const read: AccessRequest = {
  userId: 'UREADER',
  userGroups: [],
  channelId: 'C1',
  mutating: false,
  namespaces: ['shop'],
};

describe('checkAccess', () => {
  it.each<[string, AccessPolicy, Partial<AccessRequest>, false | 'channel' | 'admin' | 'namespace']>([
    ['read anywhere', policy, {}, false],
    ['read in a DM', policy, { channelId: 'D123' }, false],
    ['read with no channel', policy, { channelId: null }, false],
    ['read in an allowed channel', { ...policy, allowedChannels: ['C1'] }, {}, false],
    ['read in another channel', { ...policy, allowedChannels: ['C2'] }, {}, 'channel'],
    [
      'read in a DM when channels are restricted',
      { ...policy, allowedChannels: ['C1'] },
      { channelId: 'D1' },
      'channel',
    ],
    ['no channel when restricted', { ...policy, allowedChannels: ['C1'] }, { channelId: null }, 'channel'],
    ['mutate as an admin user', policy, { userId: 'UADMIN', mutating: true }, false],
    ['mutate as an admin group member', policy, { userGroups: ['SX', 'SSRE'], mutating: true }, false],
    ['mutate as anyone else', policy, { mutating: true }, 'admin'],
    ['mutate with no admins', { ...policy, admins: { users: [], groups: [] } }, { mutating: true }, 'admin'],
    [
      'channel is checked before admin',
      { ...policy, allowedChannels: ['C2'] },
      { mutating: true },
      'channel',
    ],
    ['excluded namespace', policy, { namespaces: ['shop', 'kube-system'] }, 'namespace'],
    [
      'admins are limited to the namespaces too',
      policy,
      { userId: 'UADMIN', mutating: true, namespaces: ['kube-system'] },
      'namespace',
    ],
    ['all namespaces', policy, { namespaces: 'all' }, false],
    ['no namespaces', policy, { namespaces: [] }, false],
    [
      'empty include allows nothing',
      { ...policy, namespaces: { include: [], exclude: [] } },
      {},
      'namespace',
    ],
  ])('%s', (_name, p, ask, refusal) => {
    const decision = checkAccess(p, { ...read, ...ask });
    if (refusal === false) {
      expect(decision).toEqual({ allowed: true });
    } else {
      expect(decision).toMatchObject({ allowed: false, reason: refusal });
    }
  });

  it.each<[Partial<AccessPolicy>, Partial<AccessRequest>, string]>([
    [
      { admins: { users: [], groups: [] } },
      { mutating: true },
      'This command changes the mesh and no meshbot admins are configured; ask a meshbot operator to add your Slack user id `UREADER` (or a user group you are in) to `MESHBOT_ADMINS`.',
    ],
    [
      {},
      { mutating: true },
      'Only meshbot admins may run commands that change the mesh; ask a meshbot operator to add your Slack user id `UREADER` (or a user group you are in) to `MESHBOT_ADMINS`.',
    ],
    [
      { allowedChannels: ['C2'] },
      {},
      'meshbot is not enabled in this channel; use an allowed channel, or ask a meshbot operator to add `C1` to `MESHBOT_ALLOWED_CHANNELS`.',
    ],
    [
      {},
      { namespaces: ['kube-system', 'shop', 'kube-system'] },
      'meshbot may not access namespace `kube-system` (`MESHBOT_NAMESPACES` is `*,!kube-system`); ask a meshbot operator if it should.',
    ],
  ])('message %#', (p, ask, message) => {
    expect(checkAccess({ ...policy, ...p }, { ...read, ...ask })).toMatchObject({ allowed: false, message });
  });

  it('messages are one line without Slack formatting other than backticks', () => {
    const asks: Array<[AccessPolicy, AccessRequest]> = [
      [
        { ...policy, allowedChannels: ['C2'] },
        { ...read, channelId: 'C1*_~<!channel>' },
      ],
      [
        { ...policy, allowedChannels: ['C2'] },
        { ...read, channelId: 'D1' },
      ],
      [policy, { ...read, userId: 'U1`<!here>*', mutating: true }],
      [
        { ...policy, namespaces: { include: ['shop'], exclude: [] } },
        { ...read, namespaces: ['x`*_<!here>'] },
      ],
    ];
    for (const [p, ask] of asks) {
      const decision = checkAccess(p, ask);
      expect(decision.allowed).toBe(false);
      if (!decision.allowed) {
        const outside = decision.message.replace(/`[^`\n]*`/g, '');
        expect(outside).not.toMatch(/[\n*_~<>`]/);
        expect(decision.message).not.toMatch(/[<>\n]/);
      }
    }
  });
});

describe('filterNamespaces', () => {
  it('keeps the allowed names in order', () => {
    expect(
      filterNamespaces({ include: ['shop-*', 'pay'], exclude: ['shop-test'] }, [
        'pay',
        'kube-system',
        'shop-prod',
        'shop-test',
        'payments',
      ]),
    ).toEqual(['pay', 'shop-prod']);
  });
});
