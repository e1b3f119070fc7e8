import { describe, expect, it } from 'vitest';
import { formatMs, formatPct, formatRate, formatRatio, formatValue } from './format.js';
import { renderMarkdown } from './markdown.js';
import { checkAccuracy, type Results, row, withRatios } from './results.js';
import { escapeXml, renderSvg } from './svg.js';
import { columns, renderTable } from './table.js';

/** Fixed results: every kind of row the reports must render. */
function fixture(): Results {
  const rows = withRatios([
    row({
      metric: 'full-batch',
      peer: 'ours',
      status: 'ok',
      value: 50,
      samples: [50, 49, 51],
      warmup: 3,
      info: { threads: 2 },
      work: '3 iterations after 3 warm-up',
      accuracy: 0.2779,
      reference: 0.2779,
      tolerance: 0.005,
      check: 'ok',
    }),
    row({
      metric: 'full-batch',
      peer: 'numpy',
      status: 'ok',
      value: 300,
      samples: [300],
      work: '3 iterations after 3 warm-up',
      accuracy: 0.2779,
      reference: 0.2779,
      tolerance: 0.005,
      check: 'ok',
    }),
    row({
      metric: 'full-batch',
      peer: 'tfjs-wasm',
      status: 'ok',
      value: 500,
      samples: [500],
      work: '1 iteration',
      accuracy: 0.2,
      reference: 0.2779,
      tolerance: 0.005,
      check: 'off',
    }),
    row({ metric: 'full-batch', peer: 'tfjs-cpu', status: 'skipped', reason: 'not requested' }),
    row({
      metric: 'inference',
      peer: 'ours',
      status: 'ok',
      value: 100_000,
      samples: [100_000],
      work: '10 passes',
      accuracy: 0.92,
      reference: 0.92,
      tolerance: 0.001,
      check: 'ok',
    }),
    row({
      metric: 'inference',
      peer: 'numpy',
      status: 'ok',
      value: 400_000,
      samples: [400_000],
      work: '10 passes',
      accuracy: 0.92,
      reference: 0.92,
      tolerance: 0.001,
      check: 'ok',
    }),
    row({
      metric: 'rss',
      peer: 'ours',
      status: 'ok',
      value: 200,
      samples: [200],
      work: 'mnist-train <fast> & co',
    }),
    row({
      metric: 'rss',
      peer: 'numpy',
      status: 'failed',
      reason: 'exited with code 1: MemoryError | boom',
    }),
  ]);
  return {
    schema: 'mnist-bench/1',
    startedAt: '2025-01-31T12:00:00.000Z',
    durationMs: 125_000,
    quick: false,
    peers: ['ours', 'numpy', 'tfjs-wasm', 'tfjs-cpu'],
    tasks: ['full-batch', 'inference', 'rss'],
    machine: {
      cpu: 'Test CPU',
      cores: 2,
      memoryGb: 8,
      os: 'Linux 6',
      node: 'v20.0.0',
      python: '3.12.0',
      numpy: '2.4.6',
      tfjs: '4.22.0',
      tfjsBackendWasm: '4.22.0',
      rssMethod: '/usr/bin/time -v',
      git: 'abc123-dirty',
      loadBefore: [1.5, 1, 0.5],
      loadAfter: [2, 1.2, 0.6],
    },
    rows,
    notes: ['tfjs-cpu is slow.'],
  };
}

describe('format', () => {
  it('durations, rates, ratios and percentages', () => {
    expect(formatMs(0.5)).toBe('< 1 ms');
    expect(formatMs(53.24)).toBe('53.2 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(125_000)).toBe('2 min 05 s');
    expect(formatRate(417_000, ' img/s')).toBe('417k img/s');
    expect(formatRate(1_230_000)).toBe('1.23M/s');
    expect(formatRatio(6)).toBe('6.00×');
    expect(formatRatio(17.4)).toBe('17×');
    expect(formatRatio(0.353)).toBe('0.353×');
    expect(formatRatio(null)).toBe('—');
    expect(formatPct(0.92489)).toBe('92.49 %');
    expect(formatValue(195.2, 'MB')).toBe('195 MB');
    expect(formatValue(null, 'ms')).toBe('—');
  });
});

describe('results', () => {
  it('checkAccuracy: within the tolerance is ok, beyond it is off, missing values give null', () => {
    expect(checkAccuracy(0.9, 0.91, 0.01)).toBe('ok');
    expect(checkAccuracy(0.9, 0.92, 0.01)).toBe('off');
    expect(checkAccuracy(null, 0.92, 0.01)).toBeNull();
    expect(checkAccuracy(Number.NaN, 0.92, 0.01)).toBe('off');
  });

  it('withRatios: against ours of the same metric; ours is 1; none without ours or for a failed row', () => {
    const r = fixture().rows;
    const of = (metric: string, peer: string) =>
      r.find((x) => x.metric === metric && x.peer === peer)!.ratio;
    expect(of('full-batch', 'ours')).toBe(1);
    expect(of('full-batch', 'numpy')).toBe(6);
    expect(of('full-batch', 'tfjs-cpu')).toBeNull();
    expect(of('inference', 'numpy')).toBe(0.25);
    expect(of('rss', 'numpy')).toBeNull();
  });

  it('withRatios: no ratio for ours-only metrics (the API has no peer)', () => {
    const [r] = withRatios([row({ metric: 'api-alone', peer: 'ours', status: 'ok', value: 1000 })]);
    expect(r!.ratio).toBeNull();
  });
});

describe('renderTable', () => {
  const text = renderTable(fixture());

  it('has one block per metric with its unit and direction', () => {
    expect(text).toContain('full-batch iteration, 60,000 images (ms, lower is better)');
    expect(text).toContain('inference, 10,000 test images (images/s, higher is better)');
    expect(text).toContain('peak RSS, full training run (MB, lower is better)');
  });

  it('shows the median, the ratio, both accuracies and the check beside each other', () => {
    const numpy = text
      .split('\n')
      .find((l) => l.trimStart().startsWith('numpy') && l.includes('300 ms'))!;
    expect(numpy).toMatch(
      /numpy\s+300 ms\s+—\s+6\.00×\s+—\s+27\.79 %\s+27\.79 %\s+ok\s+3 iterations after 3 warm-up/,
    );
  });

  it('shows the p90 of several samples and the threads a run used', () => {
    const ours = text
      .split('\n')
      .find((l) => l.trimStart().startsWith('ours') && l.includes('50.0 ms'))!;
    expect(ours).toMatch(/ours\s+50\.0 ms\s+50\.8 ms\s+1\.00×\s+2\s+27\.79 %/);
  });

  it('flags a peer whose accuracy is off, by how much', () => {
    expect(text).toContain('OFF by 7.79 pts');
  });

  it('gives the reason of a skipped or failed peer', () => {
    expect(text).toMatch(/tfjs-cpu\s+skipped\s+not requested/);
    expect(text).toMatch(/numpy\s+failed\s+exited with code 1: MemoryError \| boom/);
  });

  it('aligns columns', () => {
    expect(
      columns([
        ['a', 'bb', 'c'],
        ['ccc', 'd', 'e'],
      ]),
    ).toEqual(['a    bb  c', 'ccc  d   e']);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(fixture());

  it('records the machine, the versions and the load', () => {
    expect(md).toContain('| CPU | Test CPU × 2 |');
    expect(md).toContain('| Python / numpy | 3.12.0 / 2.4.6 |');
    expect(md).toContain('| TensorFlow.js / wasm backend | 4.22.0 / 4.22.0 |');
    expect(md).toContain('start 1.5, 1, 0.5; end 2, 1.2, 0.6');
    expect(md).toContain('took 2 min 05 s');
  });

  it('has a table per metric, escaping pipes in cells', () => {
    expect(md).toContain('### full-batch iteration, 60,000 images');
    expect(md).toContain(
      '| numpy | 300 ms | — | — | 6.00× | — | 27.79 % | 27.79 % | ok | 3 iterations after 3 warm-up | 1 |',
    );
    expect(md).toContain(
      '| numpy | *failed* | | | | | | | | exited with code 1: MemoryError \\| boom | |',
    );
  });

  it('shows the p90 and the spread of the samples, (max − min) / median, and the threads', () => {
    expect(md).toContain(
      '| ours | 50.0 ms | 50.8 ms | 4 % | 1.00× | 2 | 27.79 % | 27.79 % | ok | 3 iterations after 3 warm-up | 3 |',
    );
  });

  it('links the chart and lists the notes', () => {
    expect(md).toContain('![ratios against ours](ratios.svg)');
    expect(md).toContain('- tfjs-cpu is slow.');
  });
});

describe('renderSvg', () => {
  const svg = renderSvg(fixture());

  it('is one SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<svg/g)).toHaveLength(1);
  });

  it('draws one bar per peer ratio (not ours), labelled, and marks an accuracy that is off', () => {
    const bars = svg.match(/<rect x="[\d.]+" y="\d+" width="[\d.]+" height="16"/g) ?? [];
    expect(bars).toHaveLength(3); // full-batch numpy, tfjs-wasm; inference numpy
    expect(svg).toContain('>6.00×<');
    expect(svg).toContain('>0.250×<');
    expect(svg).toContain('tfjs-wasm (accuracy off)');
  });

  it('puts ratios on a log scale around 1: 10× is one decade right of 1', () => {
    const at = (label: string) =>
      Number(
        new RegExp(`<line x1="([\\d.]+)"[^>]*/>\\s*<text[^>]*>${label.replace('.', '\\.')}<`).exec(
          svg,
        )![1],
      );
    const one = at('1.00×');
    const ten = at('10×');
    const tenth = at('0.100×');
    expect(ten - one).toBeCloseTo(one - tenth, 0);
    // A bar of ratio 6 spans log10(6) of a decade from the 1× line.
    const bar = /<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="16" fill="#4c72b0"/.exec(svg)!;
    expect(Number(bar[1])).toBeCloseTo(one, 0);
    expect(Number(bar[2])).toBeCloseTo(Math.log10(6) * (ten - one), 0);
  });

  it('escapes text and copes with nothing to show', () => {
    expect(escapeXml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
    expect(renderSvg({ rows: [] })).toContain('no ratios to show');
  });
});
