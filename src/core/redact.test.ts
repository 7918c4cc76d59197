import { describe, expect, it } from 'vitest';
import { createRedactor, isSensitiveKey, REDACTED, redactDeep } from './redact.js';

const redact = createRedactor([]);
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('createRedactor: built-in rules', () => {
  it.each([
    // query strings and paths
    ['/api/orders?token=abc&x=1', '/api/orders?token=[REDACTED]&x=1'],
    ['/a?x=1&access_token=ya29.a0Af&page=2', '/a?x=1&access_token=[REDACTED]&page=2'],
    ['/a?API_KEY=k1;sid=s1;lang=en', '/a?API_KEY=[REDACTED];sid=[REDACTED];lang=en'],
    ['/a?x-api-key=k&apiKey=k2&monkey=banana', '/a?x-api-key=[REDACTED]&apiKey=[REDACTED]&monkey=banana'],
    [
      '/oauth2/callback?code=4/0AX4Xf&state=xyz&scope=email',
      '/oauth2/callback?code=[REDACTED]&state=xyz&scope=email',
    ],
    ['/stats?status_code=503&country_code=DE', '/stats?status_code=503&country_code=DE'],
    ['/login;jsessionid=ABC123?next=/home', '/login;jsessionid=[REDACTED]?next=/home'],
    ['/a?token=&x=1', '/a?token=&x=1'],
    ['/a?api%5Fkey=k&user%5Bpassword%5D=p', '/a?api%5Fkey=[REDACTED]&user%5Bpassword%5D=[REDACTED]'],
    [
      '/bucket/o.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2024&X-Amz-SignedHeaders=host&X-Amz-Signature=9f2e',
      '/bucket/o.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[REDACTED]&X-Amz-SignedHeaders=host&X-Amz-Signature=[REDACTED]',
    ],
    ['/o?X-Goog-Signature=abcd&alt=media', '/o?X-Goog-Signature=[REDACTED]&alt=media'],
    ['/cb#access_token=t0k&token_type=bearer', '/cb#access_token=[REDACTED]&token_type=[REDACTED]'],
    ['/a?author=bob&keyword=mesh&authority=x', '/a?author=bob&keyword=mesh&authority=x'],
    [
      '/a?auth=xyz&client_secret=s3&private_key=pk',
      '/a?auth=[REDACTED]&client_secret=[REDACTED]&private_key=[REDACTED]',
    ],
    // Slack-escaped ampersands still separate keys
    ['/a?x=1&amp;token=abc', '/a?x=1&amp;token=[REDACTED]'],
    // form body / cookie / free text
    ['username=bob&password=hunter2', 'username=bob&password=[REDACTED]'],
    ['sessionid=abc123; csrftoken=def; theme=dark', 'sessionid=[REDACTED]; csrftoken=[REDACTED]; theme=dark'],
    // Bearer / Basic
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [REDACTED]'],
    ['authorization: bearer abc', 'authorization: bearer [REDACTED]'],
    ['Basic dXNlcjpwYXNz', 'Basic [REDACTED]'],
    ['basic information about the mesh', 'basic information about the mesh'],
    // JWT
    [`jwt ${JWT} end`, 'jwt [REDACTED] end'],
    ['unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. done', 'unsigned [REDACTED] done'],
    // userinfo
    ['https://user:pa55@db.example:5432/x', 'https://user:[REDACTED]@db.example:5432/x'],
    ['redis://:secret@redis:6379', 'redis://:[REDACTED]@redis:6379'],
    ['ssh://git@github.com/org/repo', 'ssh://git@github.com/org/repo'],
    // JSON access-log lines
    [
      '{"path":"/cb?code=abc","x-api-key":"k-123","authority":"shop.example","response_code":200}',
      '{"path":"/cb?code=[REDACTED]","x-api-key":"[REDACTED]","authority":"shop.example","response_code":200}',
    ],
    ['{"authorization":"Bearer abc"}', '{"authorization":"[REDACTED]"}'],
  ])('%s', (input, expected) => expect(redact(input)).toBe(expected));

  it.each([
    // realistic Envoy values that contain no secrets
    '[2024-05-01T10:00:00.000Z] "GET /api/v1/products?page=2&sort=price HTTP/1.1" 200 - via_upstream - "-" 0 512 3 2 "10.0.0.1,192.168.1.7" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36" "4bf92f35-77b3-4da6-a3ce-929d0e0e4736" "shop.example" "10.244.1.12:8080" outbound|8080||cart.shop.svc.cluster.local',
    'curl/8.4.0',
    'kube-probe/1.28',
    'grpc-go/1.59.0',
    '203.0.113.9, 10.0.0.1',
    '<!channel> <https://evil.example|login>',
    'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
  ])('leaves %s unchanged', (input) => expect(redact(input)).toBe(input));

  it('is idempotent', () => {
    const once = redact(`/a?token=abc Bearer xyz https://u:p@h ${JWT}`);
    expect(redact(once)).toBe(once);
  });

  it('handles a pathological 8 KB line and still redacts after it', () => {
    const nasty = [
      'eyJ-'.repeat(500),
      'a.'.repeat(500),
      '&a'.repeat(500),
      'x://'.repeat(300),
      '"a":"\\\\'.repeat(200),
      'Bearer '.repeat(100),
      '=a'.repeat(500),
    ].join('');
    expect(nasty.length).toBeGreaterThan(8000);
    const out = redact(`${nasty} ?token=abc`);
    expect(out.endsWith('?token=[REDACTED]')).toBe(true);
  });
});

describe('isSensitiveKey', () => {
  it.each([
    'token',
    'Access_Token',
    'refresh_token',
    'id_token',
    'api_key',
    'apikey',
    'x-api-key',
    'key',
    'password',
    'passwd',
    'pwd',
    'secret',
    'auth',
    'Authorization',
    'session',
    'sessionid',
    'JSESSIONID',
    'PHPSESSID',
    'sid',
    'code',
    'signature',
    'sig',
    'credential',
    'private',
    'jwt',
    'client_secret',
    'X-Amz-Signature',
    'x-goog-signature',
  ])('%s is sensitive', (key) => expect(isSensitiveKey(key)).toBe(true));

  it.each(['monkey', 'author', 'authority', 'keyword', 'status_code', 'page', 'X-Amz-SignedHeaders', 'sort'])(
    '%s is not',
    (key) => expect(isSensitiveKey(key)).toBe(false),
  );
});

describe('createRedactor: MESHBOT_REDACT patterns', () => {
  it.each([
    [[/acct-\d+/], 'user acct-1234 bought', `user ${REDACTED} bought`],
    [[/acct-\d+/], 'acct-1 and acct-2', `${REDACTED} and ${REDACTED}`],
    [[/card=(\d{12,19})/], 'card=4111111111111111 ok', `card=${REDACTED} ok`],
    [[/email:(\S+)/, /tenant-[a-z]+/], 'email:a@b.example tenant-acme', `email:${REDACTED} ${REDACTED}`],
    [[/x*/], 'abc', 'abc'],
    [[/(secret)?-id/], 'a-id', 'a-id'],
    [[/CASE/i], 'case Case', `${REDACTED} ${REDACTED}`],
  ])('%s on %j', (patterns, input, expected) => expect(createRedactor(patterns)(input)).toBe(expected));

  it('does not mutate the given regex and works across calls', () => {
    const pattern = /acct-\d+/;
    const r = createRedactor([pattern]);
    expect(r('acct-1')).toBe(REDACTED);
    expect(r('acct-2')).toBe(REDACTED);
    expect(pattern.global).toBe(false);
    expect(pattern.lastIndex).toBe(0);
  });
});

describe('redactDeep', () => {
  it('redacts every string in a copy, keeping keys and other values', () => {
    const when = new Date(0);
    const input = {
      path: '/a?token=abc',
      code: 200,
      ok: true,
      none: null,
      when,
      'token=x': 'plain',
      nested: [{ ua: 'curl/8', auth: 'Bearer abc' }, 'https://u:p@h', 3],
    };
    const out = redactDeep(input, redact);
    expect(out).toEqual({
      path: '/a?token=[REDACTED]',
      code: 200,
      ok: true,
      none: null,
      when,
      'token=x': 'plain',
      nested: [{ ua: 'curl/8', auth: 'Bearer [REDACTED]' }, 'https://u:[REDACTED]@h', 3],
    });
    expect(input.path).toBe('/a?token=abc');
    expect(out.when).toBe(when);
  });

  it('handles strings and cycles', () => {
    expect(redactDeep('Bearer x', redact)).toBe('Bearer [REDACTED]');
    const a: { self?: unknown; s: string } = { s: '?token=1' };
    a.self = a;
    const out = redactDeep(a, redact);
    expect(out.s).toBe('?token=[REDACTED]');
    expect(out.self).toBe(out);
  });
});
