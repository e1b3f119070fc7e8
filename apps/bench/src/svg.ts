import { formatRatio } from './format.js';
import { PEERS, type PeerName } from './protocol.js';
import { METRICS, type Results } from './results.js';
import { byMetric } from './table.js';

/** Bar colour of each peer. */
export const PEER_COLOURS: Readonly<Record<PeerName, string>> = {
  ours: '#444444',
  numpy: '#4c72b0',
  'tfjs-wasm': '#dd8452',
  'tfjs-cpu': '#c44e52',
  'onnx-web': '#55a868',
};

/** Text made safe for SVG/XML. */
export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/**
 * The chart's layout in px, each length named once: the width, the peer labels' column on the
 * left, the margin on the right, the titles above the first group, each group's heading, a bar
 * and the gap after it, the gap after a group, and the axis labels and legend at the bottom.
 */
const LAYOUT = {
  width: 760,
  left: 250,
  right: 60,
  top: 58,
  heading: 22,
  bar: 16,
  gap: 4,
  groupGap: 14,
  bottom: 54,
} as const;

/**
 * A hand-written SVG bar chart of every peer's ratio against ours, one group per metric, on a
 * log scale centred on 1: bars to the right mean ours is ahead, to the left the peer is.
 */
export function renderSvg(results: Pick<Results, 'rows'>): string {
  const { width: W, left: LEFT, top: TOP, heading, bar: BAR, gap, groupGap } = LAYOUT;
  const groups = byMetric(results.rows)
    .map(
      ([metric, rows]) =>
        [metric, rows.filter((r) => r.peer !== 'ours' && r.ratio !== null)] as const,
    )
    .filter(([, rows]) => rows.length > 0);
  const ratios = groups.flatMap(([, rows]) => rows.map((r) => r.ratio!));
  const lo = Math.min(-1, Math.floor(Math.log10(Math.min(1, ...ratios))));
  const hi = Math.max(1, Math.ceil(Math.log10(Math.max(1, ...ratios))));
  const plot = W - LEFT - LAYOUT.right;
  const x = (r: number) => LEFT + ((Math.log10(r) - lo) / (hi - lo)) * plot;
  const height =
    TOP +
    groups.reduce((h, [, rows]) => h + heading + rows.length * (BAR + gap) + groupGap, 0) +
    LAYOUT.bottom;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${height}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">Peers against ours (log scale)</text>`,
    `<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">ratio = peer ÷ ours for time and memory, ours ÷ peer for throughput; right of 1: ours is ahead</text>`,
  );
  if (groups.length === 0) {
    out.push(
      `<text x="${W / 2}" y="${TOP + 20}" text-anchor="middle" fill="#555">no ratios to show (ours or every peer missing)</text>`,
      '</svg>',
    );
    return `${out.join('\n')}\n`;
  }
  const bottom = height - 48;
  for (let d = lo; d <= hi; d++) {
    const gx = x(10 ** d).toFixed(1);
    out.push(
      `<line x1="${gx}" y1="${TOP - 6}" x2="${gx}" y2="${bottom}" stroke="${d === 0 ? '#000' : '#ddd'}" stroke-width="${d === 0 ? 1.5 : 1}"/>`,
      `<text x="${gx}" y="${bottom + 16}" text-anchor="middle" fill="#333">${formatRatio(10 ** d)}</text>`,
    );
  }
  let y = TOP;
  for (const [metric, rows] of groups) {
    out.push(
      `<text x="10" y="${y + 12}" font-weight="bold">${escapeXml(METRICS[metric].label)}</text>`,
    );
    y += heading;
    for (const r of rows) {
      const a = x(1);
      const b = x(r.ratio!);
      const left = Math.min(a, b);
      const w = Math.max(1, Math.abs(b - a));
      const mid = y + BAR / 2 + 4;
      out.push(
        `<text x="${LEFT - 8}" y="${mid}" text-anchor="end">${escapeXml(r.peer)}${r.check === 'off' ? ' (accuracy off)' : ''}</text>`,
        `<rect x="${left.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${PEER_COLOURS[r.peer]}"/>`,
        // The value right of the bar's end, or right of the 1× line for a bar going left.
        `<text x="${((b >= a ? b : a) + 4).toFixed(1)}" y="${mid}" fill="#222">${escapeXml(formatRatio(r.ratio))}</text>`,
      );
      y += BAR + gap;
    }
    y += groupGap;
  }
  const legend = PEERS.filter(
    (p) => p !== 'ours' && groups.some(([, rows]) => rows.some((r) => r.peer === p)),
  );
  legend.forEach((p, i) => {
    const lx = LEFT + i * 120;
    out.push(
      `<rect x="${lx}" y="${height - 14}" width="10" height="10" fill="${PEER_COLOURS[p]}"/>`,
      `<text x="${lx + 14}" y="${height - 5}">${escapeXml(p)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
