import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { themeFor } from '../render/color.js';
import { knownMetrics } from '../test-support/fake.js';
import { backgroundBefore, text } from '../test-support/frame.js';
import { ConfusionMatrix, confusionLines } from './ConfusionMatrix.js';

describe('ConfusionMatrix', () => {
  it('shows every cell of a known matrix, with per-class accuracy', () => {
    const frame = text(
      render(
        <ConfusionMatrix
          metrics={knownMetrics()}
          step={250}
          width={61}
          height={13}
          theme={themeFor('none')}
        />,
      ),
    );
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(/^─ 4 Confusion \(test\) 90\.45% of 10,000 · step 250 ─+$/);
    expect(lines[1]).toBe('t\\p│   0    1    2    3    4    5    6    7    8    9 │  acc');
    expect(lines[2]).toBe(' 0 │ 900    1    2    3    4    5    6    7    8    9 │ 95.2%');
    expect(lines[5]).toBe(' 3 │   3    4    5  903    7    8    9   10   11   12 │ 92.9%');
    expect(lines[11]).toBe(' 9 │   9   10   11   12   13   14   15   16   17  909 │ 88.6%');
    expect(lines[12]).toContain('rows: true digit · columns: predicted');
  });
  it('colours the diagonal green and the mistakes red (a heat map)', () => {
    const row = confusionLines(knownMetrics(), '256')[1]!;
    const diagonal = backgroundBefore(row, ' 900 ')!;
    expect(diagonal[1]).toBeGreaterThan(diagonal[0] + 50);
    // a mistake of 1 % of the class is near-black; one of 50 % is full red
    const small = backgroundBefore(row, '   1 ')!;
    expect(Math.max(...small)).toBeLessThan(60);
    const many = knownMetrics();
    const confusion = many.confusion.map((r) => [...r]);
    confusion[0]![1] = 500;
    const red = backgroundBefore(confusionLines({ ...many, confusion }, '256')[1]!, ' 500 ')!;
    expect(red[0]).toBeGreaterThan(red[1] + 100);
  });
  it('waits for the first evaluation', () => {
    expect(
      text(
        render(<ConfusionMatrix metrics={null} width={61} height={13} theme={themeFor('none')} />),
      ),
    ).toContain('waiting for the first evaluation…');
  });
});
