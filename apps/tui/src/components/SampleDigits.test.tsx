import { loadMnistSplit } from '@mnist/net';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { themeFor } from '../render/color.js';
import type { Page } from '../samples.js';
import { text } from '../test-support/frame.js';
import { SampleDigits, sampleBlock, sampleGeometry } from './SampleDigits.js';

const test = await loadMnistSplit('test');
const probs = (top: number, p: number) =>
  Float32Array.from({ length: 10 }, (_, c) => (c === top ? p : (1 - p) / 9));

describe('SampleDigits', () => {
  it('draws a known test image with its true and predicted label and class bars', () => {
    const page: Page = {
      samples: [{ index: 0, label: 7, predicted: 7, probabilities: probs(7, 0.981) }],
      offset: 0,
      total: 10000,
      misclassifiedOnly: false,
    };
    const frame = text(
      render(
        <SampleDigits
          page={page}
          images={test.images}
          width={28}
          height={18}
          theme={themeFor('none')}
        />,
      ),
    );
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(/^─ 5 Test digits #1–1 of 100…/); // the title is cut to the panel's 28 columns
    expect(lines[1]).toBe('true 7 → 7  98.1% ✓');
    expect(lines[6]).toContain('▀█▀████████████▄'); // the top bar of the 7 (see digit.test.ts)
    expect(lines[16]).toBe('▁ ▁ ▁ ▁ ▁ ▁ ▁ █ ▁ ▁');
    expect(lines[17]).toBe('0 1 2 3 4 5 6 7 8 9');
  });
  it('counts all the mistakes of the shown weights in the title, not only those found so far', () => {
    const page: Page = {
      samples: [{ index: 8, label: 5, predicted: 6, probabilities: probs(6, 0.6) }],
      offset: 0,
      total: 14, // the misclassified digits found so far, scanning the test set in chunks
      misclassifiedOnly: true,
    };
    const frame = text(
      render(
        <SampleDigits
          page={page}
          images={test.images}
          mistakes={352}
          width={70}
          height={18}
          theme={themeFor('none')}
        />,
      ),
    );
    expect(frame.split('\n')[0]).toMatch(/^─ 5 Test digits mistakes 1–1 of 352 · n\/b/);
  });
  it('highlights a mistake', () => {
    const block = sampleBlock(
      { index: 0, label: 7, predicted: 2, probabilities: probs(2, 0.61) },
      test.images.subarray(0, 784),
      28,
      '256',
    );
    expect(block[0]!.startsWith('\x1b[38;5;203mtrue 7 → 2  61.0% ✗')).toBe(true); // in red
    expect(
      sampleBlock(
        { index: 0, label: 7, predicted: 2, probabilities: probs(2, 0.61) },
        test.images.subarray(0, 784),
        14,
        'none',
      )[0],
    ).toBe('7→2 61% ✗     ');
  });
  it('shows as many digits as fit, full size when tall enough', () => {
    expect(sampleGeometry(58, 18)).toEqual({ cols: 28, lines: 17, perRow: 2, rows: 1 });
    expect(sampleGeometry(58, 13)).toEqual({ cols: 14, lines: 10, perRow: 3, rows: 1 });
    expect(sampleGeometry(120, 37)).toEqual({ cols: 28, lines: 17, perRow: 4, rows: 2 });
    expect(sampleGeometry(10, 5).perRow).toBe(0);
  });
  it('says why there is nothing to draw', () => {
    expect(
      text(
        render(
          <SampleDigits
            page={null}
            images={null}
            note="no local test images"
            width={40}
            height={18}
            theme={themeFor('none')}
          />,
        ),
      ),
    ).toContain('no local test images');
  });
});
