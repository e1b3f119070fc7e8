import type { Theme } from '../render/color.js';
import { StyledLine } from '../render/styled-line.js';
import { fit, wrap } from '../render/text.js';
import type { DashboardState, RunStatus } from '../state/state.js';
import { Lines } from './Panel.js';

export interface Props {
  readonly state: Pick<DashboardState, 'status' | 'config' | 'notice'>;
  /** Where the run is: `local worker` or the job's URL. */
  readonly origin: string;
  readonly width: number;
  readonly theme: Theme;
}

const BADGE: Readonly<Record<RunStatus, string>> = {
  connecting: 'CONNECTING',
  disconnected: 'DISCONNECTED',
  starting: 'STARTING',
  queued: 'QUEUED',
  running: 'RUNNING',
  paused: 'PAUSED',
  stopping: 'STOPPING',
  done: 'DONE',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
  interrupted: 'INTERRUPTED',
};

/**
 * The header: the app and the run's status, preset and origin on the left, the latest notice on
 * the right. A notice too long to share the line (a saved file's path) gets lines of its own
 * under it, wrapped at word boundaries, never cut.
 */
export function headerLines(
  state: Props['state'],
  origin: string,
  width: number,
  theme: Theme,
): string[] {
  const notice = state.notice?.text ?? '';
  const title = 9 + BADGE[state.status].length;
  if ([...notice].length + 2 <= Math.max(0, width - title) / 2 || !notice)
    return [headerLine(state, origin, width, theme)];
  const tone = noticeColor(state, theme);
  return [
    headerLine({ ...state, notice: null }, origin, width, theme),
    ...wrap(notice, width - 1).map((l) =>
      new StyledLine(theme.mode).push(` ${l}`, tone).toString(),
    ),
  ];
}

function noticeColor(state: Props['state'], theme: Theme) {
  const tone = state.notice?.tone;
  return tone === 'bad'
    ? theme.bad
    : tone === 'warn'
      ? theme.warn
      : tone === 'good'
        ? theme.good
        : theme.muted;
}

/** The header's first line, the notice cut to fit beside the rest. */
export function headerLine(
  state: Props['state'],
  origin: string,
  width: number,
  theme: Theme,
): string {
  const title = ' MNIST ';
  const badge = ` ${BADGE[state.status]} `;
  const c = state.config;
  const about = c ? ` ${c.preset} · 784→${c.hidden}→10 · ${c.optimizer} · ${origin}` : ` ${origin}`;
  const notice = state.notice ? ` ${state.notice.text} ` : '';
  const room = Math.max(0, width - title.length - badge.length);
  const aboutText =
    [...about].length + [...notice].length <= room
      ? about
      : fit(about, Math.max(0, room - Math.min([...notice].length, Math.floor(room / 2))));
  const noticeText = fit(notice, Math.max(0, room - [...aboutText].length)).trimEnd();
  const s = state.status;
  const color =
    s === 'running' || s === 'done'
      ? theme.good
      : s === 'paused' || s === 'stopping'
        ? theme.warn
        : s === 'failed' || s === 'interrupted' || s === 'disconnected'
          ? theme.bad
          : theme.accent;
  const line = new StyledLine(theme.mode)
    .push(title, null, null, { bold: true, inverse: true })
    .push(badge, theme.mode === 'none' ? null : [0, 0, 0], color, { bold: true })
    .push(aboutText)
    .push(
      noticeText.padStart(Math.max(0, room - [...aboutText].length)),
      noticeColor(state, theme),
    );
  return line.toString();
}

/** One line: the run's status, preset and origin, and the latest notice. */
export function Header({ state, origin, width, theme }: Props) {
  return <Lines lines={headerLines(state, origin, width, theme)} width={width} />;
}
