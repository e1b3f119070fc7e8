import { BINDINGS } from '../keys.js';
import type { Theme } from '../render/color.js';
import { fit, wrap } from '../render/text.js';
import { Lines, Panel } from './Panel.js';

export interface Props {
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** Why the steering keys do nothing, if they do nothing. @default null */
  readonly readOnly?: string | null;
}

/** Notes under the keys, each shown only when it fits whole. */
const NOTES = [
  'Panels fold away when the terminal is small: their number key shows them alone.',
  'Charts: the bright line is smoothed ([ and ] change how much; ~ marks the smoothed value); the dim band under it is the raw values, so spikes stay visible.',
  'Loss is the mean over the batches since the last update; train accuracy is over those batches, test accuracy at each evaluation.',
  'Heat maps of W1: orange is a positive weight, blue a negative one, each unit on its own scale.',
  'Digits and hidden units update at each evaluation (every epoch, or every N iterations).',
];

/**
 * The help screen's lines: every key from the same table the footer and the input handler use,
 * wrapped at word boundaries to `width` (nothing is cut), then as many notes as fit whole in
 * `height` lines.
 */
export function helpLines(width: number, readOnly: string | null = null, height = 1000): string[] {
  const labelWidth = Math.max(...BINDINGS.map((b) => b.label.length), 3);
  const indent = ' '.repeat(labelWidth + 4);
  const key = (label: string, help: string) =>
    wrap(`  ${label.padEnd(labelWidth)}  ${help}`, width, indent);
  const lines = [
    ...BINDINGS.flatMap((b) =>
      key(b.label, `${b.help}${b.control && readOnly ? ' (read-only)' : ''}`),
    ),
    ...key('esc', 'back to all panels, close this help'),
    ...(readOnly ? wrap(`Read-only: ${readOnly}`, width, '  ') : []),
  ];
  for (const note of NOTES) {
    const more = ['', ...wrap(note, width)];
    if (lines.length + more.length > height) break;
    lines.push(...more);
  }
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
      <Lines lines={helpLines(width, readOnly, height - 1).slice(0, height - 1)} width={width} />
    </Panel>
  );
}
