import { BINDINGS } from '../keys.js';
import type { Theme } from '../render/color.js';
import { StyledLine, styled } from '../render/styled-line.js';
import { fit, grouped, wrap } from '../render/text.js';
import type { DashboardState } from '../state/state.js';
import { stepOf } from '../state/state.js';
import { Lines } from './Panel.js';

export interface Props {
  readonly state: Pick<
    DashboardState,
    'status' | 'control' | 'ui' | 'saved' | 'progress' | 'result' | 'evaluation'
  >;
  readonly width: number;
  readonly theme: Theme;
}

/** The footer's key hints, most important first, as many as fit in `width`; read-only keys marked. */
export function footerHints(
  state: Props['state'],
  width: number,
): { key: string; text: string; readOnly: boolean }[] {
  const hints = BINDINGS.filter((b) => b.footer !== undefined)
    .sort((a, b) => a.footer! - b.footer!)
    .map((b) => {
      const short = b.label === 'p' && state.status === 'paused' ? 'resume' : b.short;
      const readOnly = b.control === true && !state.control.allowed;
      return { key: b.label, text: ` ${short}${readOnly ? ' (read-only)' : ''}`, readOnly };
    });
  const out: { key: string; text: string; readOnly: boolean }[] = [];
  let used = 0;
  for (const h of hints) {
    const w = h.key.length + [...h.text].length + (out.length ? 2 : 0);
    if (used + w > width) break;
    out.push(h);
    used += w;
  }
  return out;
}

/** The question of a pending confirmation and its answers. */
export function confirmText(state: Props['state']): { question: string; answers: string } {
  if (state.ui.confirm === 'stop')
    return {
      question: 'Stop training now? The model so far is kept.',
      answers: 'y stop · n go on',
    };
  const saved = state.saved ? `saved at step ${grouped(state.saved.step)}` : 'never saved';
  return {
    question: `Quit without saving? Trained to step ${grouped(stepOf(state as DashboardState))}, ${saved}.`,
    answers: 'y quit · s save and quit · n stay',
  };
}

/**
 * The footer's lines: the key hints (one line), or a y/n question wrapped at word boundaries
 * (a narrow terminal gets two lines rather than a question cut before its answers).
 */
export function footerLines(state: Props['state'], width: number, theme: Theme): string[] {
  if (state.ui.confirm) {
    const { question, answers } = confirmText(state);
    const one = `${question}   ${answers}`;
    const lines =
      [...one].length <= width ? [one] : [...wrap(question, width), ...wrap(answers, width)];
    return lines.map((l) =>
      styled(theme.mode, fit(l, width), theme.mode === 'none' ? null : [0, 0, 0], theme.warn, {
        bold: true,
        inverse: theme.mode === 'none',
      }),
    );
  }
  const line = new StyledLine(theme.mode);
  footerHints(state, width).forEach((h, i) => {
    if (i) line.push('  ');
    line.push(h.key, h.readOnly ? theme.muted : theme.accent, null, {
      bold: !h.readOnly,
      dim: h.readOnly && theme.mode === 'none',
    });
    line.push(h.text, h.readOnly ? theme.muted : null, null, {
      dim: h.readOnly && theme.mode === 'none',
    });
  });
  return [line.toString()];
}

/** The key hints (or a y/n question); `?` shows them all. */
export function Footer({ state, width, theme }: Props) {
  return <Lines lines={footerLines(state, width, theme)} width={width} />;
}
