import { describe, expect, it } from 'vitest';
import { fit, rate, rule, short, truncateAnsi, visibleWidth } from './text.js';

describe('text helpers', () => {
  it('fit pads or cuts to exactly the width', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('▀▀▀', 2)).toBe('▀…');
    expect(fit('x', 0)).toBe('');
  });
  it('rule is a titled line of the width', () => {
    expect(rule('Loss', 10)).toBe('─ Loss ───');
  });
  it('truncateAnsi cuts visible cells and keeps codes', () => {
    const s = '\x1b[31mabcdef\x1b[0m';
    expect(visibleWidth(s)).toBe(6);
    expect(truncateAnsi(s, 10)).toBe(s);
    const cut = truncateAnsi(s, 4);
    expect(visibleWidth(cut)).toBe(4);
    expect(cut).toBe('\x1b[31mabc…\x1b[0m');
  });
  it('formats rates and axis labels', () => {
    expect(rate(0.003)).toBe('0.003');
    expect(rate(0.00234567)).toBe('0.00235');
    expect(rate(1.5e-7)).toBe('1.50e-7');
    expect(short(950)).toBe('950');
    expect(short(4213)).toBe('4.2k');
    expect(short(23450)).toBe('23k');
    expect(short(2_500_000)).toBe('2.5M');
  });
});
