import { describe, expect, it } from 'vitest';
import { BrailleCanvas } from './braille.js';

describe('BrailleCanvas', () => {
  it('has 2×4 dots per cell', () => {
    const c = new BrailleCanvas(3, 2);
    expect([c.width, c.height]).toEqual([6, 8]);
  });
  it('sets the braille bit of each dot', () => {
    const c = new BrailleCanvas(2, 1);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 2; x++) c.set(x, y);
    c.set(2, 0);
    c.set(3, 3);
    expect(c.lines([], 'none')).toEqual(['⣿⢁']);
  });
  it('ignores dots outside and draws lines between points', () => {
    const c = new BrailleCanvas(2, 1);
    c.set(-1, 0);
    c.set(0, 9);
    c.line(0, 3, 3, 0);
    expect(c.lines([], 'none')).toEqual(['⡠⠊']);
  });
  it('colours a cell by its highest layer', () => {
    const c = new BrailleCanvas(1, 1);
    c.set(0, 0, 1);
    c.set(1, 0, 2);
    expect(c.lines([null, [255, 0, 0], [0, 0, 255]], '256')).toEqual(['\x1b[38;5;21m⠉\x1b[0m']);
  });
});
