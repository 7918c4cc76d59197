import { describe, expect, it } from 'vitest';
import { unescapeCommandText } from './unescape-command-text.js';

describe('unescapeCommandText', () => {
  it.each([
    ['plain', 'summary -n shop --since 15m', 'summary -n shop --since 15m'],
    [
      'entities',
      'logs --filter "response.code &gt;= 500 &amp;&amp; path != &lt;x&gt;"',
      'logs --filter "response.code >= 500 && path != <x>"',
    ],
    ['entities decoded once', '&amp;lt; &amp;amp;', '&lt; &amp;'],
    ['user with label', 'who <@U0123ABC|alice>', 'who @alice'],
    ['user without label', 'who <@U0123ABC>', 'who U0123ABC'],
    ['channel with label', 'summary -n <#C0123ABC|shop>', 'summary -n shop'],
    ['channel with empty label', 'summary -n <#C0123ABC|>', 'summary -n C0123ABC'],
    ['channel without label', 'summary -n <#C0123ABC>', 'summary -n C0123ABC'],
    ['link with label', 'trace --host <https://shop.example|shop.example>', 'trace --host shop.example'],
    ['link without label', 'see <https://shop.example/a?b=1&amp;c=2>', 'see https://shop.example/a?b=1&c=2'],
    ['mailto with label', 'mail <mailto:a@b.example|a@b.example>', 'mail a@b.example'],
    ['mailto without label', 'mail <mailto:a@b.example>', 'mail a@b.example'],
    ['here / channel / everyone', '<!here> <!channel> <!everyone|@everyone>', '@here @channel @everyone'],
    ['user group', 'ping <!subteam^S0123|@sre> <!subteam^S0456>', 'ping @sre S0456'],
    ['date keeps the fallback', 'at <!date^1392734382^{date_short}|Feb 18, 2014>', 'at Feb 18, 2014'],
    [
      'smart double quotes',
      'logs --filter \u201cresponse.code >= 500\u201d',
      'logs --filter "response.code >= 500"',
    ],
    ['smart single quotes', 'logs --filter \u2018path = /x\u2019', "logs --filter 'path = /x'"],
    ['non-breaking spaces', 'summary\u00a0-n\u202fshop', 'summary -n shop'],
    ['zero-width space', 'sum\u200bmary', 'summary'],
    [
      'em dash for --',
      'logs \u2014since 15m \u2014filter "a \u2014 b"',
      'logs --since 15m --filter "a \u2014 b"',
    ],
    ['en dash for - and --', 'logs \u2013n shop \u2013since 1h', 'logs -n shop --since 1h'],
    ['a lone < stays', 'a < b', 'a < b'],
  ])('%s', (_name, input, expected) => expect(unescapeCommandText(input)).toBe(expected));
});
