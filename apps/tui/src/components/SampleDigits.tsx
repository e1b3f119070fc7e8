import { memo, useMemo } from 'react';
import type { ColorMode, Rgb } from '../render/color.js';
import { barCell, digitLines } from '../render/digit.js';
import { StyledLine, styled } from '../render/styled-line.js';
import { fit } from '../render/text.js';
import type { Page, Sample } from '../samples.js';
import { Blocks, Lines, Panel, type PanelFrame } from './Panel.js';

export interface Props extends PanelFrame {
  /** The digits to show with their predictions; null when the test images are not loaded. */
  readonly page: Page | null;
  /** count × 784 test image bytes, to draw the digits. */
  readonly images: Uint8Array | null;
  /** Shown when there is nothing to draw. @default 'test images not loaded' */
  readonly note?: string;
  /**
   * How many test digits the shown weights get wrong (from their evaluation), so that the title
   * gives the whole count while the list of mistakes is still being found. @default null
   */
  readonly mistakes?: number | null;
}

/** Size of one digit's block: the digit's columns (28: every pixel; 14: half size) and lines. */
export function sampleGeometry(
  width: number,
  height: number,
): { cols: number; lines: number; perRow: number; rows: number } {
  const avail = height - 1;
  const cols = avail >= 17 && width >= 28 ? 28 : 14;
  const lines = cols / 2 + 3;
  if (avail < lines || width < cols) return { cols, lines, perRow: 0, rows: 0 };
  return {
    cols,
    lines,
    perRow: Math.floor((width + 1) / (cols + 1)),
    rows: Math.floor(avail / lines),
  };
}

const GOOD: Rgb = [90, 220, 90];
const BAD: Rgb = [255, 80, 80];
const TRUE: Rgb = [240, 200, 60];
const REST: Rgb = [120, 120, 120];

/**
 * One digit's block, `cols` wide: `true → predicted  probability` (✗ and red when wrong), the
 * digit in grey half blocks, a bar per class (predicted class green or red, true class yellow)
 * and the class labels.
 */
export function sampleBlock(s: Sample, image: Uint8Array, cols: number, mode: ColorMode): string[] {
  const wrong = s.predicted !== null && s.predicted !== s.label;
  const p = s.predicted === null ? null : (s.probabilities?.[s.predicted] ?? 0);
  const verdict = s.predicted === null ? '' : wrong ? ' ✗' : ' ✓';
  const head =
    cols >= 28
      ? `true ${s.label} → ${s.predicted ?? '?'}${p === null ? '' : `  ${(p * 100).toFixed(1)}%`}${verdict}`
      : `${s.label}→${s.predicted ?? '?'}${p === null ? '' : ` ${Math.round(p * 100)}%`}${verdict}`;
  const out = [
    new StyledLine(mode)
      .push(fit(head, cols), s.predicted === null ? null : wrong ? BAD : GOOD)
      .toString(),
  ];
  out.push(...digitLines(image, mode, cols));
  const step = cols >= 28 ? 2 : 1;
  const bars = new StyledLine(mode);
  const labels = new StyledLine(mode);
  for (let c = 0; c < 10; c++) {
    const color = c === s.predicted ? (wrong ? BAD : GOOD) : c === s.label ? TRUE : REST;
    bars.push(barCell(s.probabilities?.[c] ?? 0), color).push(step === 2 ? ' ' : '');
    labels.push(String(c), c === s.label ? TRUE : REST).push(step === 2 ? ' ' : '');
  }
  bars.push(' '.repeat(cols - 10 * step));
  labels.push(' '.repeat(cols - 10 * step));
  out.push(bars.toString(), labels.toString());
  return out;
}

/** Sample test digits with true and predicted labels and class probabilities; mistakes highlighted. */
export const SampleDigits = memo(function SampleDigits({
  page,
  images,
  note = 'test images not loaded',
  mistakes = null,
  ...frame
}: Props) {
  const { width, height, theme } = frame;
  const g = sampleGeometry(width, height);
  const blocks = useMemo(() => {
    if (!page || !images || g.perRow === 0) return [];
    return page.samples
      .slice(0, g.perRow * g.rows)
      .map((s) =>
        sampleBlock(s, images.subarray(s.index * 784, (s.index + 1) * 784), g.cols, theme.mode),
      );
  }, [page, images, g.perRow, g.rows, g.cols, theme.mode]);
  const shown = page ? Math.min(page.samples.length, g.perRow * g.rows) : 0;
  const detail = page
    ? `${page.misclassifiedOnly ? 'mistakes ' : '#'}${page.offset + 1}–${page.offset + shown} of ${page.misclassifiedOnly && mistakes !== null ? Math.max(mistakes, page.total) : page.total}${page.misclassifiedOnly ? '' : ' · m: mistakes'} · n/b`
    : '';
  const waiting = page && page.samples.length > 0 && page.samples[0]!.predicted === null;
  return (
    <Panel title="Test digits" detail={detail} hotkey={5} {...frame}>
      {blocks.length ? (
        <Blocks blocks={blocks} blockWidth={g.cols} perRow={g.perRow} />
      ) : (
        <Lines lines={[page ? 'too small: zoom with 5' : note]} width={width} />
      )}
      {waiting && height - 1 > g.lines * Math.ceil(blocks.length / Math.max(1, g.perRow)) ? (
        <Lines
          lines={[styled(theme.mode, 'predictions: waiting for the first evaluation', theme.muted)]}
          width={width}
        />
      ) : null}
    </Panel>
  );
});
