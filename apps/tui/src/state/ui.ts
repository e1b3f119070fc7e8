/** What only the viewer changes: focus, zoom, paging, smoothing, the log scale, questions. */
import { SMOOTHING_LEVELS } from '../render/smoothing.js';
import { PANELS, type PanelId, type UiState } from './state.js';

/** Changes of what the viewer sees. */
export type UiAction =
  | { readonly kind: 'help'; readonly open?: boolean }
  | { readonly kind: 'focus'; readonly delta: number }
  /** Zoom a panel, the focused one, or back to the overview (null); zooming the zoomed panel unzooms. */
  | { readonly kind: 'zoom'; readonly panel: PanelId | 'focused' | null }
  | { readonly kind: 'smoothing'; readonly delta: number }
  /** Page the sample digits by `delta` pages of `pageSize`, within `total` digits. */
  | {
      readonly kind: 'samples';
      readonly delta: number;
      readonly pageSize: number;
      readonly total: number;
    }
  | {
      readonly kind: 'units';
      readonly delta: number;
      readonly pageSize: number;
      readonly total: number;
    }
  | { readonly kind: 'misclassified' }
  | { readonly kind: 'log-scale' }
  /** Show or hide the end-of-run screen (toggles without `open`). */
  | { readonly kind: 'summary'; readonly open?: boolean }
  | { readonly kind: 'confirm'; readonly what: 'quit' | 'stop' | null };

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** The first item of the page `delta` pages away, aligned to pages and kept within `total` items. */
function page(offset: number, delta: number, size: number, total: number): number {
  const n = Math.max(1, size);
  const last = Math.max(0, Math.floor((Math.max(1, total) - 1) / n) * n);
  return clamp(Math.floor(offset / n) * n + delta * n, 0, last);
}

export function onUi(u: UiState, a: UiAction): UiState {
  switch (a.kind) {
    case 'help':
      return { ...u, help: a.open ?? !u.help };
    case 'focus': {
      const i = PANELS.indexOf(u.focus);
      const focus = PANELS[(i + a.delta + PANELS.length * 8) % PANELS.length]!;
      return { ...u, focus, zoom: u.zoom === null ? null : focus };
    }
    case 'zoom': {
      const panel = a.panel === 'focused' ? u.focus : a.panel;
      if (panel === null || u.zoom === panel)
        return { ...u, zoom: null, help: false, summary: false };
      return { ...u, zoom: panel, focus: panel, help: false, summary: false };
    }
    case 'smoothing':
      return { ...u, smoothing: clamp(u.smoothing + a.delta, 0, SMOOTHING_LEVELS.length - 1) };
    case 'samples':
      return { ...u, sampleOffset: page(u.sampleOffset, a.delta, a.pageSize, a.total) };
    case 'units':
      return { ...u, unitOffset: page(u.unitOffset, a.delta, a.pageSize, a.total) };
    case 'misclassified':
      return { ...u, misclassifiedOnly: !u.misclassifiedOnly, sampleOffset: 0 };
    case 'confirm':
      return { ...u, confirm: a.what };
    case 'log-scale':
      return { ...u, logScale: !u.logScale };
    case 'summary':
      return { ...u, summary: a.open ?? !u.summary, help: false };
  }
}
