import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimeReport, parseVmHwm, rssMethod, runChild } from './child.js';
import { lastJsonLine } from './protocol.js';
import { readWeights, weightCount, writeWeights } from './weights.js';

describe('peak RSS parsing', () => {
  it('reads GNU time -v', () => {
    expect(
      parseTimeReport(
        '\tUser time (seconds): 0.00\n\tMaximum resident set size (kbytes): 199136\n',
      ),
    ).toBe(199136);
    expect(parseTimeReport('nothing here')).toBeNull();
  });
  it('reads VmHWM from /proc/<pid>/status', () => {
    expect(parseVmHwm('VmPeak:\t  500 kB\nVmHWM:\t   45678 kB\nVmRSS:\t 40000 kB\n')).toBe(45678);
    expect(parseVmHwm('VmRSS: 1 kB')).toBeNull();
  });
});

describe('runChild', () => {
  it('captures stdout and the exit code, and reads the peak RSS where the machine allows', async () => {
    const r = await runChild(
      process.execPath,
      ['-e', 'const a = Buffer.alloc(64 << 20, 1); console.log(JSON.stringify({ n: a[5] }))'],
      { timeoutMs: 20_000 },
    );
    expect(r.code).toBe(0);
    expect(lastJsonLine(r.stdout)).toEqual({ n: 1 });
    if (rssMethod() === null) expect(r.peakRssKb).toBeNull();
    else expect(r.peakRssKb).toBeGreaterThan(64 * 1024);
  });

  it('reports a failing child with its stderr', async () => {
    const r = await runChild(
      process.execPath,
      ['-e', 'console.error("broken: shape (2, 3)"); process.exit(3)'],
      { timeoutMs: 20_000 },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('broken: shape (2, 3)');
  });

  it('kills a child that runs past its timeout', async () => {
    const r = await runChild(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      timeoutMs: 300,
    });
    expect(r.timedOut).toBe(true);
    expect(r.code).not.toBe(0);
  });
});

describe('lastJsonLine', () => {
  it('takes the last JSON object among other output', () => {
    expect(lastJsonLine('Hi, a warning\n{"a":1}\n{"b":2}\n\n')).toEqual({ b: 2 });
  });
  it('says when there is none', () => {
    expect(() => lastJsonLine('no json\n')).toThrow('no JSON object in the output');
  });
});

describe('weights files', () => {
  it('round-trips W1, b1, W2, b2 and refuses a file of the wrong size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-weights-'));
    try {
      const H = 3;
      const fill = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => k + i / 8);
      const p = {
        hidden: H,
        W1: fill(H * 784, 1),
        b1: fill(H, 2),
        W2: fill(10 * H, 3),
        b2: fill(10, 4),
      };
      const file = join(dir, 'w.f32');
      writeWeights(file, p);
      const q = readWeights(file, H);
      expect([q.W1, q.b1, q.W2, q.b2].map((a) => Array.from(a))).toEqual(
        [p.W1, p.b1, p.W2, p.b2].map((a) => Array.from(a)),
      );
      expect(() => readWeights(file, 4)).toThrow(
        `expected ${weightCount(4) * 4} bytes for hidden 4, got ${weightCount(3) * 4}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
