import { count, duration, percent } from '@mnist/net/cli';
import type { Theme } from '../render/color.js';
import { fit, grouped, rate, wrap } from '../render/text.js';
import type { DashboardState } from '../state/state.js';
import { stepOf } from '../state/state.js';
import { shown } from '../summary.js';
import { Lines, Panel } from './Panel.js';

export type EndView = Pick<
  DashboardState,
  | 'status'
  | 'config'
  | 'result'
  | 'evaluation'
  | 'progress'
  | 'rateChanges'
  | 'saved'
  | 'record'
  | 'error'
>;

export interface Props {
  readonly view: EndView;
  /** Where `s` saves (shown when the model is not saved yet). */
  readonly out: string;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
}

/** The classes the test set gets most wrong: accuracy and the digit each is most often taken for. */
export function worstDigits(
  confusion: readonly (readonly number[])[],
  n = 3,
): { digit: number; accuracy: number; as: number; times: number }[] {
  return confusion
    .map((row, t) => {
      const total = row.reduce((a, b) => a + b, 0);
      let as = -1;
      let times = 0;
      row.forEach((v, p) => {
        if (p !== t && v > times) [as, times] = [p, v];
      });
      return { digit: t, accuracy: total ? row[t]! / total : Number.NaN, as, times };
    })
    .filter((d) => Number.isFinite(d.accuracy))
    .sort((a, b) => a.accuracy - b.accuracy)
    .slice(0, n);
}

/** The end-of-run screen's lines: results, time, α changes, the worst digits, where files went. */
export function endLines(v: EndView, out: string, width: number): string[] {
  const r = v.result;
  const e = v.evaluation;
  const label = (k: string, text: string) => wrap(`${k.padEnd(11)}${text}`, width, ' '.repeat(11));
  const lines: string[] = [];
  if (e) {
    lines.push(
      ...label(
        'accuracy',
        `train ${percent(e.train.accuracy, 2)} · test ${percent(e.test.accuracy, 2)}`,
      ),
    );
    lines.push(
      ...label('loss', `train ${e.train.loss.toFixed(4)} · test ${e.test.loss.toFixed(4)}`),
    );
  }
  const elapsed = r?.elapsedMs ?? v.progress?.elapsedMs ?? 0;
  const c = v.config;
  const exs = v.progress?.examplesPerSecond ?? 0;
  lines.push(
    ...label(
      'time',
      `${duration(elapsed)} of training (pauses excluded)${exs > 0 ? ` · ${count(exs)} ex/s` : ''} · ${grouped(stepOf(v as DashboardState))} steps`,
    ),
  );
  if (c) {
    const changes = v.rateChanges.length
      ? `; changed ${v.rateChanges.length}×: ${v.rateChanges.map((x) => `step ${grouped(x.step)} ${rate(x.from)}→${rate(x.to)}`).join(', ')}`
      : '';
    lines.push(
      ...label(
        'α',
        `${rate(c.learningRate)}${c.schedule === 'constant' ? '' : ` ${c.schedule}`}${changes}`,
      ),
    );
  }
  if (e) {
    lines.push('worst digits (test set)');
    for (const d of worstDigits(e.test.confusion))
      lines.push(
        ...wrap(
          `  ${d.digit}  ${percent(d.accuracy, 1).padStart(6)} right${d.as >= 0 ? `, most often read as ${d.as} (${grouped(d.times)}×)` : ''}`,
          width,
          '      ',
        ),
      );
  }
  lines.push(
    ...label(
      'model',
      v.saved
        ? `${shown(v.saved.path)} (step ${grouped(v.saved.step)})`
        : `not saved; s saves to ${shown(out)}`,
    ),
  );
  if (v.record) lines.push(...label('run record', `${shown(v.record)} (run.json, events.csv)`));
  if (v.error) lines.push(...label('error', v.error));
  lines.push('', ...wrap('e or esc: the panels · q quit', width));
  return lines.map((l) => fit(l, width));
}

/** The end-of-run screen (opens when a run is done; `e` toggles it). */
export function EndScreen({ view, out, width, height, theme }: Props) {
  const r = view.result;
  const title = r
    ? `Run ${r.reason === 'completed' ? 'complete' : r.reason}`
    : `Run ${view.status}`;
  return (
    <Panel
      title={title}
      detail={r ? `step ${grouped(r.step)}` : ''}
      width={width}
      height={height}
      focused
      theme={theme}
    >
      <Lines lines={endLines(view, out, width).slice(0, height - 1)} width={width} />
    </Panel>
  );
}
