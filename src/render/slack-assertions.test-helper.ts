/**
 * @module render/slack-assertions.test-helper
 * Checks every Slack limit and the escaping rules on a rendered message, for the renderer tests.
 */
import { expect } from 'vitest';
import { blockTextLength, type SlackMessage, type TextObject } from './slack-message.js';

/** Every text string in the message, the top-level fallback included. */
export function allTexts(message: SlackMessage): string[] {
  const texts = [message.text];
  const add = (t: TextObject | undefined) => {
    if (t !== undefined) texts.push(t.text);
  };
  for (const block of message.blocks) {
    switch (block.type) {
      case 'header':
        add(block.text);
        break;
      case 'section':
        add(block.text);
        block.fields?.forEach(add);
        break;
      case 'context':
        block.elements.forEach(add);
        break;
      case 'divider':
        break;
    }
  }
  return texts;
}

/** Asserts Slack's limits: blocks, per-block sizes, total block text, fallback. */
export function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect(message.text.trim().length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  let total = 0;
  for (const block of message.blocks) {
    total += blockTextLength(block);
    switch (block.type) {
      case 'header':
        expect(block.text.type).toBe('plain_text');
        expect(block.text.text.length).toBeLessThanOrEqual(150);
        expect(block.text.text.length).toBeGreaterThan(0);
        break;
      case 'section':
        expect(block.text !== undefined || block.fields !== undefined).toBe(true);
        if (block.text !== undefined) {
          expect(block.text.text.length).toBeLessThanOrEqual(3000);
          expect(block.text.text.trim().length).toBeGreaterThan(0);
        }
        if (block.fields !== undefined) {
          expect(block.fields.length).toBeLessThanOrEqual(10);
          for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
        }
        break;
      case 'context':
        expect(block.elements.length).toBeGreaterThan(0);
        expect(block.elements.length).toBeLessThanOrEqual(10);
        break;
      case 'divider':
        break;
    }
  }
  expect(total).toBeLessThanOrEqual(12_000);
  // The JSON Slack receives stays well under the ~13.2k msg_blocks_too_long threshold of block text.
  expect(JSON.stringify(message.blocks).length).toBeLessThan(20_000);
}

/** Asserts no text can mention, link or otherwise be parsed by Slack, and no control characters. */
export function expectInert(message: SlackMessage): void {
  for (const text of allTexts(message)) {
    expect(text).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect(text).not.toContain('<!channel>');
    for (const bad of ['\u001b', '\u009b', '\u0007', '\u202e']) expect(text).not.toContain(bad);
    expect(hasLoneSurrogate(text)).toBe(false);
    // Code spans and blocks are balanced, so no log text escaped from one.
    expect(text.split('```').length % 2).toBe(1);
    expect(text.replaceAll('```', '').split('`').length % 2).toBe(1);
  }
}

function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}
