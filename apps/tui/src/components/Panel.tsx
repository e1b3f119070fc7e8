import { Box, Transform } from 'ink';
import { type ReactNode, useCallback, useMemo } from 'react';
import type { Theme } from '../render/color.js';
import { StyledLine } from '../render/styled-line.js';
import { fit, truncateAnsi } from '../render/text.js';

export interface LinesProps {
  /** The lines, possibly with colour codes; longer ones are cut to `width`. */
  readonly lines: readonly string[];
  /** Width of the area in cells. */
  readonly width: number;
}

/**
 * Pre-rendered lines. Ink measures a text node by its string and keeps every string it ever
 * measured (a leak for text that changes each frame), and measuring block and braille characters
 * is slow. So Ink lays out a blank block of the same size (the same string every frame: measured
 * once, ASCII: fast) and a Transform swaps each blank line for the real one when it is written.
 */
export function Lines({ lines, width }: LinesProps) {
  const rows = Math.max(1, lines.length);
  const blank = useMemo(
    () => Array.from({ length: rows }, () => ' '.repeat(Math.max(1, width))).join('\n'),
    [rows, width],
  );
  const cut = useMemo(() => lines.map((l) => truncateAnsi(l, width)), [lines, width]);
  const swap = useCallback((line: string, i: number) => cut[i] ?? line, [cut]);
  return <Transform transform={swap}>{blank}</Transform>;
}

/** Where a panel is drawn: what every panel of the dashboard is given beside its own data. */
export interface PanelFrame {
  /** Size in cells, the rule included. */
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** Whether the panel has the focus (Tab); its rule is highlighted. @default false */
  readonly focused?: boolean;
}

export interface Props extends PanelFrame {
  /** Shown in the panel's top rule. */
  readonly title: string;
  /** Text after the title in the rule: the latest value, a scale, a page. @default '' */
  readonly detail?: string;
  /** The key that zooms this panel (1–6), shown before the title. */
  readonly hotkey?: number;
  readonly children?: ReactNode;
}

/** The panel's top rule: `─ 2 Loss 0.3121 ──────`, title highlighted when focused. */
export function ruleLine(
  title: string,
  detail: string,
  hotkey: number | undefined,
  width: number,
  focused: boolean,
  theme: Theme,
): string {
  const head = `─${focused ? '▶' : ' '}${hotkey === undefined ? '' : `${hotkey} `}${title}`;
  const tail = detail ? ` ${detail} ` : ' ';
  const text = [...`${head}${tail}`];
  const chars =
    text.length > width
      ? [...fit(text.join(''), width)]
      : [...text, ...'─'.repeat(width - text.length)];
  const a = Math.min(width, [...head].length);
  const b = Math.min(width, a + [...tail].length);
  return new StyledLine(theme.mode)
    .push(chars.slice(0, a).join(''), focused ? theme.accent : null, null, {
      bold: focused,
      inverse: focused && theme.mode === 'none',
    })
    .push(chars.slice(a, b).join(''), null, null, { bold: true })
    .push(chars.slice(b).join(''), theme.muted)
    .toString();
}

export interface BlocksProps {
  /** Blocks of lines, each `blockWidth` wide, laid out in rows of `perRow`. */
  readonly blocks: readonly (readonly string[])[];
  readonly blockWidth: number;
  readonly perRow: number;
}

/**
 * Blocks side by side (digits, unit maps), each its own text node: Ink tokenises a line's colour
 * codes in time that grows with the square of the line's length, so many short lines are far
 * cheaper than a few long ones.
 */
export function Blocks({ blocks, blockWidth, perRow }: BlocksProps) {
  const rows: (readonly string[])[][] = [];
  for (let i = 0; i < blocks.length; i += Math.max(1, perRow))
    rows.push(blocks.slice(i, i + Math.max(1, perRow)));
  return (
    <Box flexDirection="column">
      {rows.map((row, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions
        <Box key={r} flexDirection="row" columnGap={1}>
          {row.map((lines, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: blocks are positions
            <Lines key={i} lines={lines} width={blockWidth} />
          ))}
        </Box>
      ))}
    </Box>
  );
}

/**
 * A panel: a titled rule (one line, cheaper than a border's four sides) over content clipped to
 * `height` lines; content is cut to `width` by `Lines`, so no panel can push the frame past the
 * terminal.
 */
export function Panel({
  title,
  detail = '',
  hotkey,
  width,
  height,
  focused = false,
  theme,
  children,
}: Props) {
  const rule = ruleLine(title, detail, hotkey, width, focused, theme);
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Lines lines={[rule]} width={width} />
      {children}
    </Box>
  );
}
