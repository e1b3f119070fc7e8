/**
 * Which panels fit, and how big, for a terminal of `columns`×`rows`. The frame is one line
 * shorter than the terminal (a frame as tall as the terminal makes Ink clear the screen on every
 * update: flicker), panels that do not fit fold away (the number keys show them zoomed).
 */
import { PANELS, type PanelId } from './state/state.js';

export interface PanelBox {
  readonly id: PanelId;
  readonly width: number;
  readonly height: number;
}

export interface Band {
  readonly height: number;
  readonly panels: readonly PanelBox[];
}

export interface Layout {
  readonly columns: number;
  /** Lines of the frame: the terminal's rows minus one. */
  readonly height: number;
  /** Lines between the header and the footer. */
  readonly body: number;
  readonly bands: readonly Band[];
  /** Panels that did not fit. */
  readonly hidden: readonly PanelId[];
  /** Below the smallest size that shows any panel. */
  readonly tooSmall: boolean;
}

/** The smallest terminal that shows panels. */
export const MIN_SIZE = { columns: 40, rows: 10 } as const;
/** Columns between panels. */
export const GAP = 1;
/** Width of the progress panel beside the charts. */
export const PROGRESS_WIDTH = 38;
/** The confusion matrix: row label, 10 cells of 5, per-class accuracy; title, header, 10 rows, total. */
export const CONFUSION_SIZE = { width: 61, height: 13 } as const;
/** A sample digit at full size (28×28 pixels in 28×14 cells) with its labels and bars, plus the title. */
export const SAMPLES_FULL_HEIGHT = 18;
export const SAMPLES_COMPACT_HEIGHT = 11;
/** The smallest hidden-units band: title, label, 5 lines (10×10 pixels). */
export const UNITS_MIN_HEIGHT = 7;

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** Splits `width` among panels with gaps; the last panel takes the remainder. */
function row(
  height: number,
  width: number,
  ids: readonly PanelId[],
  fixed: Partial<Record<PanelId, number>> = {},
): Band {
  const free = width - GAP * (ids.length - 1) - ids.reduce((a, id) => a + (fixed[id] ?? 0), 0);
  const flexible = ids.filter((id) => fixed[id] === undefined);
  let left = free;
  const panels = ids.map((id) => {
    let w = fixed[id];
    if (w === undefined) {
      const share =
        flexible.indexOf(id) === flexible.length - 1 ? left : Math.floor(free / flexible.length);
      left -= share;
      w = share;
    }
    return { id, width: w, height };
  });
  return { height, panels };
}

export function planLayout(columns: number, rows: number, zoom: PanelId | null = null): Layout {
  const height = Math.max(1, rows - 1);
  const body = Math.max(0, height - 2);
  const base = { columns, height, body };
  if (columns < MIN_SIZE.columns || rows < MIN_SIZE.rows)
    return { ...base, bands: [], hidden: [...PANELS], tooSmall: true };
  if (zoom) {
    return {
      ...base,
      bands: [{ height: body, panels: [{ id: zoom, width: columns, height: body }] }],
      hidden: PANELS.filter((p) => p !== zoom),
      tooSmall: false,
    };
  }

  const bands: Band[] = [];
  let left = body;
  if (columns >= 100 && body >= 8) {
    const h = clamp(Math.round(body * 0.28), 8, 14);
    bands.push(row(h, columns, ['progress', 'loss', 'accuracy'], { progress: PROGRESS_WIDTH }));
    left -= h;
  } else {
    bands.push(row(Math.min(4, left), columns, ['progress']));
    left -= Math.min(4, left);
    if (left >= 6) {
      const h = Math.min(left, clamp(Math.round(body * 0.4), 6, 12));
      bands.push(row(h, columns, columns >= 60 ? ['loss', 'accuracy'] : ['loss']));
      left -= h;
    }
  }

  const middle = (h: number) => {
    const ids: PanelId[] = [];
    const fixed: Partial<Record<PanelId, number>> = {};
    if (columns >= CONFUSION_SIZE.width) {
      ids.push('confusion');
      fixed.confusion = CONFUSION_SIZE.width;
    }
    if (columns - (ids.length ? CONFUSION_SIZE.width + GAP : 0) >= 16) ids.push('samples');
    if (ids.length) bands.push(row(h, columns, ids, fixed));
    left -= h;
  };
  if (left >= SAMPLES_FULL_HEIGHT + UNITS_MIN_HEIGHT) middle(SAMPLES_FULL_HEIGHT);
  else if (left >= CONFUSION_SIZE.height + UNITS_MIN_HEIGHT) middle(CONFUSION_SIZE.height);
  else if (left >= CONFUSION_SIZE.height) middle(left);
  if (left >= UNITS_MIN_HEIGHT) {
    bands.push(row(left, columns, ['units']));
    left = 0;
  }

  const shown = new Set(bands.flatMap((b) => b.panels.map((p) => p.id)));
  return { ...base, bands, hidden: PANELS.filter((p) => !shown.has(p)), tooSmall: false };
}
