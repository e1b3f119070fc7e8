/**
 * The keys, defined once: the footer, the help screen and the input handler all read this table,
 * so what the footer says is what the keys do.
 */
import type { PanelId } from './state/state.js';
import { PANELS } from './state/state.js';

/** What a key asks for. */
export type Command =
  | { readonly kind: 'pause' }
  | { readonly kind: 'rate'; readonly factor: number }
  | { readonly kind: 'save' }
  | { readonly kind: 'stop' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'help' }
  | { readonly kind: 'focus'; readonly delta: number }
  | { readonly kind: 'zoom'; readonly panel: PanelId | 'focused' | null }
  | { readonly kind: 'page'; readonly delta: number }
  | { readonly kind: 'misclassified' }
  | { readonly kind: 'smoothing'; readonly delta: number }
  | { readonly kind: 'log-scale' }
  | { readonly kind: 'summary' }
  | { readonly kind: 'confirm'; readonly answer: 'yes' | 'no' | 'save' };

/** The parts of Ink's `Key` the dashboard reads. */
export interface KeyInfo {
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly return?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
}

/** How much one press of `+` or `-` changes the learning rate. */
export const RATE_STEP = 1.25;

export interface Binding {
  /** The keys as the footer and help show them. */
  readonly label: string;
  /** Short footer text. */
  readonly short: string;
  readonly help: string;
  /** Whether the key steers the run (shown as read-only when the server refuses control). */
  readonly control?: boolean;
  /** Footer priority: lower shows first on narrow terminals; absent: help screen only. */
  readonly footer?: number;
  readonly match: (input: string, key: KeyInfo) => Command | null;
}

const is =
  (chars: string, command: Command) =>
  (input: string, key: KeyInfo): Command | null =>
    !key.ctrl && input.length === 1 && chars.includes(input) ? command : null;

export const BINDINGS: readonly Binding[] = [
  {
    label: 'p',
    short: 'pause',
    help: 'pause or resume training',
    control: true,
    footer: 1,
    match: (i, k) => is('p ', { kind: 'pause' })(i, k),
  },
  {
    label: '+/-',
    short: 'α',
    help: `raise or lower the learning rate α (×${RATE_STEP} or ÷${RATE_STEP})`,
    control: true,
    footer: 2,
    match: (i, k) =>
      is('+=', { kind: 'rate', factor: RATE_STEP })(i, k) ??
      is('-_', { kind: 'rate', factor: 1 / RATE_STEP })(i, k),
  },
  {
    label: 's',
    short: 'save',
    help: 'save the model now (latest evaluated weights, or the final model)',
    footer: 4,
    match: is('s', { kind: 'save' }),
  },
  {
    label: 'tab',
    short: 'panel',
    help: 'move the focus to the next panel (shift-tab: previous)',
    footer: 7,
    match: (_, k) => (k.tab ? { kind: 'focus', delta: k.shift ? -1 : 1 } : null),
  },
  {
    label: '1-6',
    short: 'zoom',
    help: `show one panel alone: ${PANELS.map((p, i) => `${i + 1} ${p}`).join(', ')}; 0 or esc: all panels`,
    footer: 5,
    match: (i, k) => {
      if (k.ctrl || i.length !== 1) return null;
      if (i === '0') return { kind: 'zoom', panel: null };
      const n = Number(i);
      return n >= 1 && n <= PANELS.length ? { kind: 'zoom', panel: PANELS[n - 1]! } : null;
    },
  },
  {
    label: 'z',
    short: 'zoom',
    help: 'zoom the focused panel (again: back to all panels)',
    match: (i, k) =>
      is('z', { kind: 'zoom', panel: 'focused' })(i, k) ??
      (k.return ? { kind: 'zoom', panel: 'focused' } : null),
  },
  {
    label: 'n/b',
    short: 'digits',
    help: 'next or previous test digits (or hidden units when focused); → ←',
    footer: 6,
    match: (i, k) =>
      is('n', { kind: 'page', delta: 1 })(i, k) ??
      is('b', { kind: 'page', delta: -1 })(i, k) ??
      (k.rightArrow || k.pageDown
        ? { kind: 'page', delta: 1 }
        : k.leftArrow || k.pageUp
          ? { kind: 'page', delta: -1 }
          : null),
  },
  {
    label: 'm',
    short: 'mistakes',
    help: 'show only misclassified test digits (again: all)',
    match: is('m', { kind: 'misclassified' }),
  },
  {
    label: '[/]',
    short: 'smooth',
    help: 'less or more smoothing of the charts (the raw min/max band stays)',
    footer: 8,
    match: (i, k) =>
      is('[', { kind: 'smoothing', delta: -1 })(i, k) ??
      is(']', { kind: 'smoothing', delta: 1 })(i, k),
  },
  {
    label: 'l',
    short: 'log',
    help: 'logarithmic loss axis (again: linear)',
    footer: 9,
    match: is('l', { kind: 'log-scale' }),
  },
  {
    label: 'e',
    short: 'end',
    help: 'the end-of-run screen: results, worst digits, where files went',
    match: is('e', { kind: 'summary' }),
  },
  {
    label: 'x',
    short: 'stop',
    help: 'stop training early (asks first; the model so far is kept)',
    control: true,
    match: is('x', { kind: 'stop' }),
  },
  {
    label: '?',
    short: 'help',
    help: 'this help (esc closes it)',
    footer: 3,
    match: is('?', { kind: 'help' }),
  },
  {
    label: 'q',
    short: 'quit',
    help: 'quit (asks first if the model is not saved); also Ctrl-C',
    footer: 0,
    match: (i, k) =>
      is('q', { kind: 'quit' })(i, k) ?? (k.ctrl && i === 'c' ? { kind: 'quit' } : null),
  },
];

/**
 * One key press per item: a terminal hands keys that arrive together (typed fast, sent by
 * `tmux send-keys 'nn'`, pasted) to Ink as one input string, so printable runs are split into
 * their characters. Named keys (arrows, tab, Ctrl-…) arrive alone and pass through.
 */
export function splitKeys(input: string, key: KeyInfo): { input: string; key: KeyInfo }[] {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl) return [{ input, key }];
  return chars.map((c) => ({ input: c, key: /[A-Z]/.test(c) ? { shift: true } : {} }));
}

/** The command for a key press; `confirming` is true while a y/n question is shown. */
export function commandFor(input: string, key: KeyInfo, confirming = false): Command | null {
  if (confirming) {
    if (key.escape || (!key.ctrl && (input === 'n' || input === 'N')))
      return { kind: 'confirm', answer: 'no' };
    if ((key.ctrl && input === 'c') || input === 'y' || input === 'Y' || input === 'q')
      return { kind: 'confirm', answer: 'yes' };
    if (input === 's') return { kind: 'confirm', answer: 'save' };
    return null;
  }
  if (key.escape) return { kind: 'zoom', panel: null };
  for (const b of BINDINGS) {
    const c = b.match(input, key);
    if (c) return c;
  }
  return null;
}
