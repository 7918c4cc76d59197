/**
 * @module slack/unescape-command-text
 * Undoes Slack's escaping of slash-command text before it is parsed like a shell line: `&amp;`, `&lt;`,
 * `&gt;`; `<@U…|name>`, `<#C…|name>`, `<!here>`, `<url|label>` back to what the user typed; smart quotes
 * and non-breaking spaces that chat clients substitute, back to ASCII.
 *
 * Decisions: a user mention without a label becomes its bare id (`U123`), with one `@name`; a channel
 * becomes its name (channel names are often namespace names), or its id without one; a link becomes
 * its label, or the URL (`mailto:` dropped); `<!subteam^S1|@sre>` becomes its label, else the id.
 * A dash substituted for `--`/`-` at the start of a word (`—filter`, `–n`) is turned back.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

// Slack wraps its markup in real angle brackets; angle brackets the user typed arrive as `&lt;`/`&gt;`.
const MARKUP = /<([^<>\s|]+)(?:\|([^<>]*))?>/g;

const SPECIAL: Readonly<Record<string, string>> = {
  here: '@here',
  channel: '@channel',
  everyone: '@everyone',
};

function markup(whole: string, target: string, label: string | undefined): string {
  const text = label === undefined || label === '' ? null : label;
  switch (target[0]) {
    case '@':
      return text === null ? target.slice(1) : text.startsWith('@') ? text : `@${text}`;
    case '#':
      return text ?? target.slice(1);
    case '!': {
      const name = target.slice(1);
      const special = SPECIAL[name];
      if (special !== undefined) return special;
      if (text !== null) return text;
      return name.startsWith('subteam^') ? name.slice('subteam^'.length) : whole;
    }
    default:
      return text ?? (target.startsWith('mailto:') ? target.slice('mailto:'.length) : target);
  }
}

/** The command text as the user typed it. */
export function unescapeCommandText(text: string): string {
  return text
    .replace(MARKUP, (whole: string, target: string, label: string | undefined) =>
      markup(whole, target, label),
    )
    .replace(/&(?:amp|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"')
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u00a0\u2007\u202f\u2009\u200a\u3000]/g, ' ')
    .replace(/[\u200b\u2060\ufeff]/g, '')
    .replace(
      /(^|\s)[\u2013\u2014](?=[A-Za-z])([A-Za-z](?![A-Za-z0-9-]))?/g,
      (_m, before: string, short?: string) => (short === undefined ? `${before}--` : `${before}-${short}`),
    );
}
