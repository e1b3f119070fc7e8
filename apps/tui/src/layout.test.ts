import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GAP, type Layout, planLayout } from './layout.js';
import { PANELS } from './state/state.js';

const shown = (l: Layout) => l.bands.flatMap((b) => b.panels.map((p) => p.id));

describe('planLayout', () => {
  it('shows every panel at 120×40 and 200×60', () => {
    expect(shown(planLayout(120, 40)).sort()).toEqual([...PANELS].sort());
    expect(shown(planLayout(200, 60)).sort()).toEqual([...PANELS].sort());
  });
  it('folds panels away at 80×24 and says which', () => {
    const l = planLayout(80, 24);
    expect(shown(l)).toEqual(['progress', 'loss', 'accuracy', 'units']);
    expect(l.hidden).toEqual(['confusion', 'samples']);
  });
  it('gives a zoomed panel the whole body', () => {
    const l = planLayout(100, 30, 'samples');
    expect(l.bands).toEqual([{ height: 27, panels: [{ id: 'samples', width: 100, height: 27 }] }]);
  });
  it('is too small below 40×10', () => {
    expect(planLayout(39, 30).tooSmall).toBe(true);
    expect(planLayout(80, 9).tooSmall).toBe(true);
  });
  it('never exceeds the terminal: frame one line short, bands within the body, rows within the width (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 150 }),
        fc.constantFrom(null, ...PANELS),
        (columns, rows, zoom) => {
          const l = planLayout(columns, rows, zoom);
          expect(l.height).toBe(Math.max(1, rows - 1));
          expect(l.bands.reduce((a, b) => a + b.height, 0)).toBeLessThanOrEqual(l.body);
          for (const b of l.bands) {
            expect(
              b.panels.reduce((a, p) => a + p.width, 0) + GAP * (b.panels.length - 1),
            ).toBeLessThanOrEqual(columns);
            for (const p of b.panels) {
              expect(p.height).toBe(b.height);
              expect(p.width).toBeGreaterThan(0);
            }
          }
          expect(new Set([...shown(l), ...l.hidden])).toEqual(new Set(PANELS));
        },
      ),
    );
  });
});
