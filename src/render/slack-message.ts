/**
 * @module render/slack-message
 * Minimal Block Kit types and {@link SlackMessageBuilder}, which owns Slack's limits. Renderers queue
 * headers, context lines, sections and *lists*; `build()` lays them out so the message is accepted under
 * any input: at most 50 blocks, 3000 characters per section, 150 per header, 10 fields of 2000, 10
 * context elements, 12,000 characters of block text in total (Slack answers `msg_blocks_too_long` at
 * about 13.2k) and a short top-level `text`. What does not fit is counted and said
 * ("…and 37 more flows not shown (…)"). All text handed to the builder must already be escaped mrkdwn.
 */
import { plainText, truncateMrkdwn } from './escape-mrkdwn.js';
import { formatCount } from './format-values.js';

export interface PlainTextObject {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface MrkdwnTextObject {
  type: 'mrkdwn';
  text: string;
}

export type TextObject = PlainTextObject | MrkdwnTextObject;

export interface HeaderBlock {
  type: 'header';
  text: PlainTextObject;
}

export interface SectionBlock {
  type: 'section';
  text?: TextObject;
  fields?: TextObject[];
}

export interface ContextBlock {
  type: 'context';
  elements: TextObject[];
}

export interface DividerBlock {
  type: 'divider';
}

/** A button whose `value` is a `/mesh` command line (re-parsed and re-authorized when clicked). */
export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: PlainTextObject;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: {
    title: PlainTextObject;
    text: PlainTextObject;
    confirm: PlainTextObject;
    deny: PlainTextObject;
  };
}

export interface ActionsBlock {
  type: 'actions';
  elements: ButtonElement[];
}

export type SlackBlock = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;

/** What `chat.postMessage` gets: blocks plus the `text` used by notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  /**
   * How many items (flows, findings, lines, blocks) did not fit and were replaced by a "not shown" note.
   * Not part of Slack's payload: the bot strips it and, when set, uploads the whole report as a file.
   */
  omitted?: number;
}

export interface SlackLimits {
  maxBlocks: number;
  maxSectionText: number;
  maxHeaderText: number;
  maxFields: number;
  maxFieldText: number;
  maxContextElements: number;
  maxContextElementText: number;
  /** Sum of the lengths of every text object in every block. */
  maxTotalBlockText: number;
  /** Slack truncates `text` above 40,000; notifications only need a summary. */
  maxFallbackText: number;
}

export const SLACK_LIMITS: Readonly<SlackLimits> = {
  maxBlocks: 50,
  maxSectionText: 3000,
  maxHeaderText: 150,
  maxFields: 10,
  maxFieldText: 2000,
  maxContextElements: 10,
  maxContextElementText: 3000,
  maxTotalBlockText: 12_000,
  maxFallbackText: 3000,
};

/** A run of similar items (flows, findings, waterfall lines) that is cut when the budget runs out. */
export interface SlackList {
  /** Bold line above the items (escaped mrkdwn). */
  heading?: string;
  /** One escaped mrkdwn string per item; an item may span several lines. */
  items: readonly string[];
  /** How many items exist when `items` was already capped by the caller (default `items.length`). */
  total?: number;
  /** Plural noun for the "not shown" note: `flows`, `findings`. */
  noun: string;
  /** Where to see everything, appended to the note in parentheses. */
  hint?: string;
  /** Wrap each section's items in a ``` code block (items must not contain ```). */
  code?: boolean;
  /** One section block per item instead of packing items into sections. */
  blockPerItem?: boolean;
  /** Largest share (0–1) of the remaining character budget this list may use; later lists get the rest. */
  maxShare?: number;
  /**
   * Items the caller folded into one line of `items` (`+N more flows ×M`): shown only as a count, so they
   * count as omitted (the bot then attaches the full report).
   */
  folded?: number;
}

type Planned = { kind: 'block'; block: SlackBlock } | { kind: 'list'; list: SlackList };

/** Characters of block text a block contributes to Slack's total. */
export function blockTextLength(block: SlackBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section':
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case 'context':
      return block.elements.reduce((n, e) => n + e.text.length, 0);
    case 'divider':
      return 0;
    case 'actions':
      return block.elements.reduce((n, e) => n + e.text.text.length, 0);
  }
}

function mrkdwn(text: string): MrkdwnTextObject {
  return { type: 'mrkdwn', text };
}

function clampText<T extends TextObject>(object: T, max: number): T {
  if (object.text.length <= max) return object;
  const text = object.type === 'plain_text' ? plainText(object.text, max) : truncateMrkdwn(object.text, max);
  return { ...object, text };
}

/** The block cut to the per-block limits, or null when it would be empty (Slack rejects empty text). */
function clampBlock(block: SlackBlock, limits: SlackLimits): SlackBlock | null {
  switch (block.type) {
    case 'header': {
      const text = clampText(block.text, limits.maxHeaderText);
      return text.text.trim() === '' ? null : { type: 'header', text };
    }
    case 'section': {
      const out: SectionBlock = { type: 'section' };
      if (block.text !== undefined && block.text.text.trim() !== '') {
        out.text = clampText(block.text, limits.maxSectionText);
      }
      const fields = (block.fields ?? [])
        .filter((f) => f.text.trim() !== '')
        .slice(0, limits.maxFields)
        .map((f) => clampText(f, limits.maxFieldText));
      if (fields.length > 0) out.fields = fields;
      return out.text === undefined && out.fields === undefined ? null : out;
    }
    case 'context': {
      const elements = block.elements
        .filter((e) => e.text.trim() !== '')
        .slice(0, limits.maxContextElements)
        .map((e) => clampText(e, limits.maxContextElementText));
      return elements.length === 0 ? null : { type: 'context', elements };
    }
    case 'divider':
      return block;
    case 'actions': {
      // Slack: at most 25 elements, button text 75, value 2000 characters.
      const elements = block.elements
        .filter((e) => e.value.length <= 2000 && e.action_id.length <= 255)
        .slice(0, 25)
        .map((e) => ({ ...e, text: clampText(e.text, 75) }));
      return elements.length === 0 ? null : { type: 'actions', elements };
    }
  }
}

/** Shrinks a block's text proportionally so it takes at most `budget` characters, or null. */
function shrinkBlock(block: SlackBlock, budget: number, limits: SlackLimits): SlackBlock | null {
  if (blockTextLength(block) <= budget) return block;
  if (budget < 40) return null;
  switch (block.type) {
    case 'header':
      return { type: 'header', text: clampText(block.text, Math.min(budget, limits.maxHeaderText)) };
    case 'divider':
    case 'actions':
      return block;
    case 'section':
      if (block.text !== undefined) return { type: 'section', text: clampText(block.text, budget) };
      return clampBlock(
        { type: 'section', fields: (block.fields ?? []).slice(0, 1) },
        { ...limits, maxFieldText: budget },
      );
    case 'context': {
      const first = block.elements[0];
      return first === undefined ? null : { type: 'context', elements: [clampText(first, budget)] };
    }
  }
}

function omittedNote(count: number, noun: string, hint: string | undefined, any: boolean): string {
  const more = any ? ' more' : '';
  const tail = hint === undefined ? '' : ` (${hint})`;
  return `_…and ${formatCount(count)}${more} ${noun} not shown${tail}_`;
}

/** Room kept for the final "N more blocks not shown" note of the safety net. */
const FINAL_NOTE_RESERVE = 80;

/**
 * Collects blocks and lists in display order, then lays them out within {@link SlackLimits}.
 *
 * ```ts
 * const message = new SlackMessageBuilder()
 *   .header('meshbot · logs')
 *   .context(['*12* entries'])
 *   .list({ heading: '*Outbound*', items: lines, noun: 'flows', hint: 'use --format json' })
 *   .fallback('meshbot · logs: 12 entries')
 *   .build();
 * ```
 */
export class SlackMessageBuilder {
  readonly #limits: SlackLimits;
  readonly #planned: Planned[] = [];
  #fallback = '';

  constructor(limits: SlackLimits = SLACK_LIMITS) {
    this.#limits = limits;
  }

  /** A header; `text` is plain text and is cleaned and escaped here. */
  header(text: string): this {
    this.#planned.push({
      kind: 'block',
      block: {
        type: 'header',
        text: { type: 'plain_text', text: plainText(text, this.#limits.maxHeaderText), emoji: true },
      },
    });
    return this;
  }

  /** A context line of escaped mrkdwn elements (empty ones are dropped). */
  context(elements: readonly string[]): this {
    this.#planned.push({ kind: 'block', block: { type: 'context', elements: elements.map(mrkdwn) } });
    return this;
  }

  /** A section of escaped mrkdwn. */
  section(text: string): this {
    this.#planned.push({ kind: 'block', block: { type: 'section', text: mrkdwn(text) } });
    return this;
  }

  /** A section of up to 10 escaped mrkdwn fields, shown in two columns. */
  fields(fields: readonly string[]): this {
    this.#planned.push({ kind: 'block', block: { type: 'section', fields: fields.map(mrkdwn) } });
    return this;
  }

  /** A row of buttons (kept whole; they count little toward the text budget). */
  actions(elements: readonly ButtonElement[]): this {
    if (elements.length > 0)
      this.#planned.push({ kind: 'block', block: { type: 'actions', elements: [...elements] } });
    return this;
  }

  divider(): this {
    this.#planned.push({ kind: 'block', block: { type: 'divider' } });
    return this;
  }

  /** A list of items, packed into sections and cut with a note when the budget runs out. */
  list(list: SlackList): this {
    if (list.items.length > 0 || (list.total ?? 0) > 0) this.#planned.push({ kind: 'list', list });
    return this;
  }

  /** The top-level `text` (escaped mrkdwn), cut to `maxFallbackText`. */
  fallback(text: string): this {
    this.#fallback = text;
    return this;
  }

  build(): SlackMessage {
    this.#omitted = 0;
    const limits = this.#limits;
    const planned = this.#planned.map((p): Planned | null => {
      if (p.kind === 'list') return p;
      const block = clampBlock(p.block, limits);
      return block === null ? null : { kind: 'block', block };
    });
    const items = planned.filter((p): p is Planned => p !== null);
    // What each item needs at the very least, so earlier items leave room for later ones.
    const minChars = items.map((p) =>
      p.kind === 'block'
        ? Math.min(blockTextLength(p.block), 300)
        : Math.min(p.list.heading?.length ?? 0, 300) + 120,
    );
    const minBlocks = items.map((p) =>
      p.kind === 'list' && p.list.heading !== undefined && p.list.blockPerItem ? 2 : 1,
    );

    const blocks: SlackBlock[] = [];
    let chars = 0;
    let dropped = 0;
    let reserveChars = minChars.reduce((a, b) => a + b, 0) + FINAL_NOTE_RESERVE;
    let reserveBlocks = minBlocks.reduce((a, b) => a + b, 0) + 1;

    items.forEach((item, i) => {
      reserveChars -= minChars[i] ?? 0;
      reserveBlocks -= minBlocks[i] ?? 0;
      const charBudget = limits.maxTotalBlockText - chars - reserveChars;
      const blockBudget = limits.maxBlocks - blocks.length - reserveBlocks;
      if (item.kind === 'block') {
        const block = blockBudget >= 1 ? shrinkBlock(item.block, charBudget, limits) : null;
        if (block === null) {
          dropped++;
          return;
        }
        blocks.push(block);
        chars += blockTextLength(block);
        return;
      }
      const laid = this.#layOutList(item.list, charBudget, blockBudget);
      blocks.push(...laid);
      chars += laid.reduce((n, b) => n + blockTextLength(b), 0);
    });

    if (dropped > 0)
      blocks.push({
        type: 'context',
        elements: [mrkdwn(`_…${formatCount(dropped)} more blocks not shown_`)],
      });
    const omitted = this.#omitted + dropped;
    return {
      text: this.#fallbackText(blocks),
      blocks: enforceSlackLimits(blocks, limits),
      ...(omitted > 0 ? { omitted } : {}),
    };
  }

  #fallbackText(blocks: readonly SlackBlock[]): string {
    let text = this.#fallback.trim();
    if (text === '') {
      const header = blocks.find((b): b is HeaderBlock => b.type === 'header');
      text = header?.text.text ?? 'meshbot report';
    }
    return truncateMrkdwn(text, Math.min(this.#limits.maxFallbackText, 40_000));
  }

  #omitted = 0;

  #layOutList(list: SlackList, charBudget: number, blockBudget: number): SlackBlock[] {
    const limits = this.#limits;
    const total = Math.max(list.total ?? list.items.length, list.items.length);
    const share = list.maxShare === undefined ? 1 : Math.min(1, Math.max(0, list.maxShare));
    const minimum = Math.min(list.heading?.length ?? 0, 300) + 120;
    const budget = Math.max(Math.min(minimum, charBudget), Math.floor(charBudget * share));
    const fence = list.code === true ? 8 : 0; // "```\n" + "\n```"
    const note = (n: number, any: boolean) => omittedNote(n, list.noun, list.hint, any);
    const noteCost = note(total, true).length;
    const heading = list.heading === undefined ? undefined : truncateMrkdwn(list.heading, 300);

    const sections: string[][] = [];
    let used = 0;
    let shown = 0;
    let current: string[] | null = null;
    let currentLength = 0;
    const headingInline = heading !== undefined && list.blockPerItem !== true;
    const headingBlocks = heading !== undefined && !headingInline ? 1 : 0;
    if (heading !== undefined) used += heading.length + (headingInline ? 1 : 0);

    for (const raw of list.items) {
      const item = truncateMrkdwn(
        list.code === true ? raw.replaceAll('```', '`ˋ`') : raw,
        limits.maxSectionText -
          fence -
          (headingInline && sections.length === 0 ? (heading?.length ?? 0) + 1 : 0),
      );
      const fitsCurrent =
        current !== null &&
        list.blockPerItem !== true &&
        currentLength + 1 + item.length + fence <= limits.maxSectionText;
      const addedBlocks = fitsCurrent ? 0 : 1;
      const cost = item.length + (fitsCurrent ? 1 : 0) + (addedBlocks === 1 ? fence : 0);
      const blocksAfter = headingBlocks + sections.length + addedBlocks;
      const remaining = total - shown - 1;
      const needNote = remaining > 0;
      if (used + cost + (needNote ? noteCost : 0) > budget || blocksAfter + (needNote ? 1 : 0) > blockBudget)
        break;
      if (fitsCurrent && current !== null) {
        current.push(item);
        currentLength += 1 + item.length;
      } else {
        current = [item];
        currentLength =
          item.length + (headingInline && sections.length === 0 ? (heading?.length ?? 0) + 1 : 0);
        sections.push(current);
      }
      used += cost;
      shown++;
    }

    const blocks: SlackBlock[] = [];
    if (heading !== undefined && !headingInline) blocks.push({ type: 'section', text: mrkdwn(heading) });
    sections.forEach((lines, index) => {
      let body = lines.join('\n');
      if (list.code === true) body = `\`\`\`\n${body}\n\`\`\``;
      if (headingInline && index === 0 && heading !== undefined) body = `${heading}\n${body}`;
      blocks.push({ type: 'section', text: mrkdwn(body) });
    });
    const omitted = total - shown;
    this.#omitted += Math.max(0, omitted) + (list.folded ?? 0);
    if (omitted > 0) {
      const text = note(omitted, shown > 0);
      if (headingInline && sections.length === 0 && heading !== undefined) {
        blocks.push({ type: 'section', text: mrkdwn(`${heading}\n${text}`) });
      } else {
        blocks.push({ type: 'context', elements: [mrkdwn(text)] });
      }
    }
    return blocks;
  }
}

/**
 * The safety net: clamps every block to the per-block limits and drops trailing blocks until the block
 * count and total text fit, ending with a note saying how many were dropped. Planned layouts never
 * need it; it guarantees the limits even if a renderer miscounts.
 */
export function enforceSlackLimits(
  input: readonly SlackBlock[],
  limits: SlackLimits = SLACK_LIMITS,
): SlackBlock[] {
  const blocks = input.map((b) => clampBlock(b, limits)).filter((b): b is SlackBlock => b !== null);
  let total = blocks.reduce((n, b) => n + blockTextLength(b), 0);
  if (blocks.length <= limits.maxBlocks && total <= limits.maxTotalBlockText) return blocks;
  let dropped = 0;
  const noteFor = (n: number) => `_…${formatCount(n)} more blocks not shown_`;
  while (
    blocks.length > 0 &&
    (blocks.length + 1 > limits.maxBlocks || total + noteFor(dropped + 1).length > limits.maxTotalBlockText)
  ) {
    const last = blocks.pop();
    if (last !== undefined) total -= blockTextLength(last);
    dropped++;
  }
  blocks.push({ type: 'context', elements: [mrkdwn(noteFor(dropped))] });
  return blocks;
}
