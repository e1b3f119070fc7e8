import { BINDINGS } from '../keys.js';
import type { Theme } from '../render/color.js';
import { fit } from '../render/text.js';
import { Lines, Panel } from './Panel.js';

export interface Props {
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** Why the steering keys do nothing, if they do nothing. @default null */
  readonly readOnly?: string | null;
}

/** The help screen's lines: every key from the same table the footer and the input handler use. */
export function helpLines(width: number, readOnly: string | null = null): string[] {
  const labelWidth = Math.max(...BINDINGS.map((b) => b.label.length));
  const keys = BINDINGS.map(
    (b) =>
      `  ${b.label.padEnd(labelWidth)}  ${b.help}${b.control && readOnly ? ' (read-only)' : ''}`,
  );
  const lines = [
    'Keys',
    ...keys,
    '  esc  back to all panels, close this help',
    '',
    'Panels fold away when the terminal is small: their number key shows them alone.',
    'Charts: the bright line is smoothed ([ and ] change how much; ~ marks the smoothed value); the',
    'dim band under it is the raw values, so spikes stay visible. Loss is the mean over the batches',
    'since the last update; train accuracy is over those batches, test accuracy at each evaluation.',
    'Heat maps of W1: orange is a positive weight, blue a negative one, each unit on its own scale.',
    'Digits and hidden units update at each evaluation (every epoch, or every N iterations).',
    ...(readOnly ? ['', `Read-only: ${readOnly}`] : []),
  ];
  return lines.map((l) => fit(l, width));
}

/** The help screen (`?`). */
export function HelpPanel({ width, height, theme, readOnly = null }: Props) {
  return (
    <Panel
      title="Help"
      detail="? or esc closes"
      width={width}
      height={height}
      focused
      theme={theme}
    >
      <Lines lines={helpLines(width, readOnly).slice(0, height - 1)} width={width} />
    </Panel>
  );
}
