import { describe, expect, it } from 'vitest';
import {
  ANSI16,
  colorize,
  detectColorMode,
  nearest16,
  nearest256,
  sgrParams,
  stripAnsi,
  themeFor,
} from './color.js';

const tty = (depth: number) => ({ isTTY: true, getColorDepth: () => depth });

describe('detectColorMode', () => {
  it('is none when NO_COLOR is set and not empty, whatever the terminal', () => {
    expect(detectColorMode(tty(24), { NO_COLOR: '1', TERM: 'xterm-256color' })).toBe('none');
    expect(detectColorMode(tty(24), { NO_COLOR: '', TERM: 'xterm' })).toBe('truecolor');
  });
  it('is none for TERM=dumb and for streams that are not terminals', () => {
    expect(detectColorMode(tty(8), { TERM: 'dumb' })).toBe('none');
    expect(detectColorMode({ isTTY: false, getColorDepth: () => 24 }, {})).toBe('none');
  });
  it('follows the colour depth, counting *-256color as 256 colours', () => {
    expect(detectColorMode(tty(4), { TERM: 'xterm' })).toBe('16');
    expect(detectColorMode(tty(4), { TERM: 'screen-256color' })).toBe('256');
    expect(detectColorMode(tty(8), {})).toBe('256');
    expect(detectColorMode(tty(24), {})).toBe('truecolor');
    expect(detectColorMode(tty(1), {})).toBe('none');
  });
});

describe('nearest colours', () => {
  it('maps each ANSI colour to itself', () => {
    for (const [i, c] of ANSI16.entries()) expect(nearest16(c)).toBe(i);
  });
  it('maps greys to the grey ramp and pure colours to the cube', () => {
    expect(nearest256([128, 128, 128])).toBe(244);
    expect(nearest256([255, 0, 0])).toBe(196);
    expect(nearest256([0, 0, 0])).toBe(16);
  });
});

describe('sgrParams', () => {
  it('writes the code of each mode', () => {
    expect(sgrParams('none', [255, 0, 0], 'fg')).toBe('');
    expect(sgrParams('16', [205, 0, 0], 'fg')).toBe('31');
    expect(sgrParams('16', [255, 0, 0], 'bg')).toBe('101');
    expect(sgrParams('256', [255, 0, 0], 'fg')).toBe('38;5;196');
    expect(sgrParams('truecolor', [1, 2, 3], 'bg')).toBe('48;2;1;2;3');
  });
  it('colorize leaves text alone without colour, and stripAnsi undoes it', () => {
    expect(colorize('none', 'x', [1, 2, 3])).toBe('x');
    const s = colorize('256', 'hello', [255, 0, 0], [0, 0, 0]);
    expect(s).toBe('\x1b[38;5;196;48;5;16mhello\x1b[0m');
    expect(stripAnsi(s)).toBe('hello');
  });
  it('has no theme colours in mode none', () => {
    expect(Object.values(themeFor('none')).filter((v) => v !== null && v !== 'none')).toEqual([]);
    expect(themeFor('16').accent).not.toBeNull();
  });
});
