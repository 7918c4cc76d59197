import { describe, expect, it } from 'vitest';
import { expectWithinSlackLimits } from './slack-assertions.test-helper.js';
import { enforceSlackLimits, type SlackBlock, SlackMessageBuilder } from './slack-message.js';

describe('SlackMessageBuilder', () => {
  it('packs list items into sections and says how many were left out', () => {
    const items = Array.from({ length: 2000 }, (_, i) => `item ${i} ${'x'.repeat(40)}`);
    const message = new SlackMessageBuilder()
      .header('title')
      .list({ heading: '*Things*', items, noun: 'things', hint: 'see the CLI' })
      .fallback('fallback')
      .build();
    expectWithinSlackLimits(message);
    const last = message.blocks.at(-1);
    expect(last?.type).toBe('context');
    expect(JSON.stringify(last)).toMatch(/…and [\d,]+ more things not shown \(see the CLI\)/);
  });

  it('leaves room for later lists (maxShare) and notes', () => {
    const many = Array.from({ length: 500 }, (_, i) => `first ${i} ${'y'.repeat(100)}`);
    const message = new SlackMessageBuilder()
      .header('h')
      .list({ heading: '*A*', items: many, noun: 'a-items', maxShare: 0.5 })
      .list({ heading: '*B*', items: many, noun: 'b-items' })
      .context(['tail'])
      .build();
    expectWithinSlackLimits(message);
    const json = JSON.stringify(message);
    expect(json).toContain('more a-items not shown');
    expect(json).toContain('more b-items not shown');
    expect(json).toContain('*B*');
    expect(json).toContain('tail');
  });

  it('wraps code lists in balanced fences', () => {
    const message = new SlackMessageBuilder()
      .list({ items: Array.from({ length: 300 }, () => 'a ``` b '.repeat(10)), noun: 'rows', code: true })
      .build();
    expectWithinSlackLimits(message);
    for (const block of message.blocks) {
      if (block.type === 'section' && block.text !== undefined) {
        expect(block.text.text.split('```').length).toBe(3);
      }
    }
  });

  it('keeps every limit under any mix of oversized blocks', () => {
    const builder = new SlackMessageBuilder().header('h'.repeat(500));
    for (let i = 0; i < 80; i++) {
      builder
        .section('s'.repeat(5000))
        .fields(Array.from({ length: 15 }, () => 'f'.repeat(2500)))
        .context(Array.from({ length: 15 }, () => 'c'.repeat(100)))
        .divider();
    }
    const message = builder.fallback('t'.repeat(50_000)).build();
    expectWithinSlackLimits(message);
    expect(JSON.stringify(message.blocks.at(-1))).toMatch(/more blocks not shown/);
  });

  it('uses the header as fallback text when none is given', () => {
    expect(new SlackMessageBuilder().header('hello').build().text).toBe('hello');
  });
});

describe('enforceSlackLimits', () => {
  it('drops trailing blocks and says so', () => {
    const blocks: SlackBlock[] = Array.from({ length: 70 }, () => ({
      type: 'section',
      text: { type: 'mrkdwn', text: 'z'.repeat(2900) },
    }));
    const out = enforceSlackLimits(blocks);
    expectWithinSlackLimits({ text: 'x', blocks: out });
    expect(JSON.stringify(out.at(-1))).toContain('more blocks not shown');
  });

  it('drops sections with empty text', () => {
    expect(enforceSlackLimits([{ type: 'section', text: { type: 'mrkdwn', text: '  ' } }])).toEqual([]);
  });
});
