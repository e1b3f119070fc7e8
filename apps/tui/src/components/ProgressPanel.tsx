import { bar, count, duration, percent } from '@mnist/net/cli';
import { memo } from 'react';
import { where } from '../describe.js';
import { styled } from '../render/styled-line.js';
import { fit, grouped, rate } from '../render/text.js';
import { type DashboardState, isFinished } from '../state/state.js';
import { speedOf } from '../timing.js';
import { Lines, Panel, type PanelFrame } from './Panel.js';

/** What the progress panel reads from the state. */
export type ProgressView = Pick<
  DashboardState,
  | 'status'
  | 'config'
  | 'data'
  | 'progress'
  | 'baseRate'
  | 'requestedRate'
  | 'speed'
  | 'totalSteps'
  | 'evaluation'
  | 'result'
>;

/** The α line: the rate after the schedule now, and the base α (the requested one, pending). */
function rateLine(v: ProgressView): string {
  const c = v.config;
  if (!c) return 'α –';
  const base = rate(v.baseRate ?? c.learningRate);
  const now = v.progress ? rate(v.progress.learningRate) : base;
  const schedule = c.schedule === 'constant' ? '' : ` ${c.schedule}`;
  if (v.requestedRate !== null)
    return `α ${now} now · base ${rate(v.requestedRate)} (pending, was ${base})${schedule}`;
  return `α ${now} now · base ${base}${schedule}`;
}

/** Speed and time: over the latest running time (pauses excluded); ETA – when it cannot be known. */
function timeLine(v: ProgressView): string {
  const p = v.progress;
  if (!p) return 'waiting for the first steps…';
  const c = v.config;
  const perStep =
    c?.batchSize === 'full'
      ? (v.data?.train ?? 0)
      : typeof c?.batchSize === 'number'
        ? c.batchSize
        : 0;
  const speed = perStep > 0 ? speedOf(v.speed, v.totalSteps || p.totalSteps, perStep) : null;
  const exs = speed?.examplesPerSecond ?? p.examplesPerSecond;
  const eta =
    // a lost server: where the job is now is not known
    v.status === 'disconnected' || isFinished(v as DashboardState)
      ? '–'
      : duration(speed?.etaMs ?? p.etaMs);
  return `${count(exs)} ex/s · ${duration(p.elapsedMs)} · ETA ${eta}`;
}

export interface Props extends PanelFrame {
  readonly view: ProgressView;
}

/**
 * The progress panel's lines, most important first: the bar, where the run is, loss and batch
 * accuracy, speed and time, the learning rate and optimiser, the preset and hyperparameters.
 * Lines are joined in pairs when the panel is wide and short.
 */
export function progressLines(v: ProgressView, width: number, height: number): string[] {
  const p = v.progress;
  const c = v.config;
  const step = v.result?.step ?? p?.step ?? 0;
  const total = v.totalSteps || p?.totalSteps || 0;
  const fraction = total > 0 ? step / total : 0;
  const pct = percent(fraction, 0).padStart(5);
  const lines = [
    `${bar(fraction, Math.max(4, Math.min(30, width - 7)))}${pct}`,
    c?.batchSize === 'full'
      ? `iteration ${grouped(step)}/${grouped(total)} (full batch)`
      : `step ${grouped(step)}/${grouped(total)} · ${where(c, step, p?.epoch ?? v.evaluation?.epoch ?? 0)}`,
    p
      ? `loss ${p.loss.toFixed(4)} · ${c?.batchSize === 'full' ? 'train' : 'batch'} acc ${percent(p.accuracy)}`
      : 'loss – · batch acc –',
    timeLine(v),
    rateLine(v),
    c
      ? `${c.optimizer}${c.optimizer === 'momentum' ? ` μ ${c.momentum}` : ''} · batch ${c.batchSize} · 784→${c.hidden}→10`
      : '',
    c
      ? `preset ${c.preset} · ${c.init} init · seed ${c.seed}${c.limit ? ` · ${grouped(c.limit)} imgs` : ''}`
      : '',
    v.evaluation
      ? `test ${percent(v.evaluation.test.accuracy, 2)} · train ${percent(v.evaluation.train.accuracy, 2)}`
      : '',
  ].filter((l) => l !== '');
  const rows = Math.max(0, height - 1);
  if (lines.length > rows && width >= 70) {
    const pairs: string[] = [];
    for (let i = 0; i < lines.length; i += 2)
      pairs.push(lines[i + 1] ? `${lines[i]}  │  ${lines[i + 1]}` : lines[i]!);
    return pairs.slice(0, rows).map((l) => fit(l, width));
  }
  return lines.slice(0, rows).map((l) => fit(l, width));
}

/** Progress: iteration/epoch, speed, elapsed and ETA, learning rate, optimiser, preset and hyperparameters. */
export const ProgressPanel = memo(function ProgressPanel({ view, ...frame }: Props) {
  const { width, height, theme } = frame;
  const lines = progressLines(view, width, height);
  const tone =
    view.status === 'paused' || view.status === 'stopping'
      ? theme.warn
      : view.status === 'failed'
        ? theme.bad
        : view.status === 'done'
          ? theme.good
          : undefined;
  return (
    <Panel title="Progress" detail={view.status} hotkey={1} {...frame}>
      <Lines
        lines={lines.map((l, i) => (i === 0 ? styled(theme.mode, l, tone ?? theme.accent) : l))}
        width={width}
      />
    </Panel>
  );
});
