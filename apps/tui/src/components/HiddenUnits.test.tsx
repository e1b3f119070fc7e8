import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { themeFor } from '../render/color.js';
import { stripeWeights } from '../test-support/fake.js';
import { text } from '../test-support/frame.js';
import { HiddenUnits, unitBlock, unitGeometry } from './HiddenUnits.js';

describe('HiddenUnits', () => {
  it('draws each row of W1 as a 28×28 heat map when there is room', () => {
    const w = stripeWeights(2);
    const block = unitBlock(w, 1, 28, 'none');
    expect(block).toHaveLength(15);
    expect(block[0]).toBe('h1 b 0.00                   ');
    // unit 1 is +1 on image row 1 and −0.5 elsewhere: line 1 (rows 0–1) averages +0.25, line 2 (rows 2–3) −0.5
    expect(block[1]).toBe('░'.repeat(28));
    expect(block[2]).toBe('='.repeat(28));
  });
  it('shows all units of the notes’ network in an overview band, and pages wide networks', () => {
    expect(unitGeometry(120, 9, 10)).toEqual({ side: 10, perRow: 11, rows: 1 });
    expect(unitGeometry(200, 27, 10)).toEqual({ side: 24, perRow: 8, rows: 2 });
    const wide = unitGeometry(120, 37, 128);
    expect(wide.perRow * wide.rows).toBeLessThan(128);
    expect(wide.side).toBe(14);
  });
  it('says which units it shows, and waits for the first evaluation', () => {
    const frame = text(
      render(
        <HiddenUnits
          weights={stripeWeights(10)}
          step={40}
          width={120}
          height={9}
          theme={themeFor('none')}
        />,
      ),
    );
    expect(frame).toContain('Hidden units (rows of W1) 1–10 of 10 · 10×10');
    expect(frame.split('\n')[1]).toMatch(/^h0 b 0\.00 +h1 b 0\.00/);
    expect(
      text(render(<HiddenUnits weights={null} width={60} height={9} theme={themeFor('none')} />)),
    ).toContain('waiting for the first evaluation…');
  });
});

describe('HiddenUnits zoomed', () => {
  it('draws every weight (28×28) and pages the units', () => {
    expect(unitGeometry(120, 37, 10, true)).toEqual({ side: 28, perRow: 4, rows: 2 });
    const frame = text(
      render(
        <HiddenUnits
          weights={stripeWeights(10)}
          full
          width={120}
          height={37}
          theme={themeFor('none')}
        />,
      ),
    );
    expect(frame).toContain('1–8 of 10 · 28×28');
  });
});
