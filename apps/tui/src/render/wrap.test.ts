import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrap } from './text.js';

describe('wrap', () => {
  it('breaks between words, keeps aligned spaces and indents the next lines', () => {
    expect(wrap('  p    pause or resume the training run', 20, '       ')).toEqual([
      '  p    pause or',
      '       resume the',
      '       training run',
    ]);
    expect(wrap('short', 20)).toEqual(['short']);
    expect(wrap('', 20)).toEqual(['']);
  });
  it('splits a word longer than a line', () => {
    expect(wrap('saved /a/very/long/path/to/model.safetensors', 16)).toEqual([
      'saved',
      '/a/very/long/pat',
      'h/to/model.safet',
      'ensors',
    ]);
  });
  it('never loses a word and never makes a line too long', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 8, max: 80 }),
        (words, width) => {
          const lines = wrap(words.join(' '), width, '  ');
          for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
          expect(lines.join(' ').replace(/\s+/g, '')).toBe(words.join(''));
          // a word is split only when it is longer than a line
          if (words.every((w) => w.length <= width - 2))
            expect(lines.join(' ').trim().split(/\s+/)).toEqual(words);
        },
      ),
    );
  });
});
