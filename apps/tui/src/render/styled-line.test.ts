import { describe, expect, it } from 'vitest';
import { StyledLine, styled } from './styled-line.js';

const RED = [255, 0, 0] as const;
const BLUE = [0, 0, 255] as const;

describe('StyledLine', () => {
  it('writes a code only where the colour changes, and only the part that changed', () => {
    const line = new StyledLine('256')
      .push('a', RED)
      .push('b', RED)
      .push('c', RED, BLUE)
      .push('d', null, BLUE);
    expect(line.toString()).toBe('\x1b[38;5;196mab\x1b[48;5;21mc\x1b[39md\x1b[0m');
    expect(line.width).toBe(4);
  });
  it('writes no colour codes in mode none but keeps attributes', () => {
    expect(new StyledLine('none').push('a', RED, BLUE).push('b').toString()).toBe('ab');
    expect(styled('none', 'x', RED, null, { bold: true })).toBe('\x1b[1mx\x1b[0m');
  });
  it('resets between different attributes', () => {
    expect(new StyledLine('16').push('a', null, null, { inverse: true }).push('b').toString()).toBe(
      '\x1b[7ma\x1b[0mb',
    );
  });
  it('counts code points, not UTF-16 units', () => {
    expect(new StyledLine('none').push('⣿▀█').width).toBe(3);
  });
});
