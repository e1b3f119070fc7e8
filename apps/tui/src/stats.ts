/**
 * What the dashboard costs (`--stats`): frames drawn, time spent rendering, bytes written, and
 * the CPU time of the main thread (the UI) against the whole process (UI + training worker).
 */
import { readFileSync } from 'node:fs';
import { count, duration } from '@mnist/net/cli';
import type { DashboardState } from './state/state.js';

/** CPU time of one thread of this process in ms (Linux /proc), or null elsewhere. */
export function threadCpuMs(tid: number = process.pid): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state(3) … utime(14) stime(15), counted from 3.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export class Stats {
  frames = 0;
  renderMs = 0;
  bytes = 0;
  private readonly t0 = performance.now();
  private readonly cpu0 = process.cpuUsage();
  private readonly main0 = threadCpuMs();
  private readonly elu0 = performance.eventLoopUtilization();

  /** For Ink's `onRender` option. */
  onRender = (m: { renderTime: number }): void => {
    this.frames++;
    this.renderMs += m.renderTime;
  };

  /** Counts the bytes written to `stream` from now on. */
  countWrites(stream: NodeJS.WriteStream): void {
    const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }

  /** Numbers so far, for tests and the report. */
  snapshot() {
    const seconds = (performance.now() - this.t0) / 1000;
    const cpu = process.cpuUsage(this.cpu0);
    const processMs = (cpu.user + cpu.system) / 1000;
    const main1 = threadCpuMs();
    const mainMs = this.main0 !== null && main1 !== null ? main1 - this.main0 : null;
    const elu = performance.eventLoopUtilization(this.elu0).utilization;
    return {
      seconds,
      frames: this.frames,
      fps: this.frames / seconds,
      renderMs: this.renderMs,
      bytes: this.bytes,
      processMs,
      mainMs,
      elu,
    };
  }

  /** A few lines for stderr after the dashboard closed. */
  report(s: DashboardState): string {
    const n = this.snapshot();
    const cores = (ms: number) => `${((ms / 1000 / n.seconds) * 100).toFixed(1)}% of a core`;
    const lines = [
      `frames: ${n.frames} in ${duration(n.seconds * 1000)} (${n.fps.toFixed(1)} fps), render ${(n.renderMs / Math.max(1, n.frames)).toFixed(2)} ms/frame, ${count(n.bytes / Math.max(1, n.frames))}B/frame written`,
      `cpu: process ${cores(n.processMs)}${n.mainMs === null ? '' : `, main thread (UI) ${cores(n.mainMs)} = ${((n.mainMs / Math.max(1, n.processMs)) * 100).toFixed(1)}% of the process`}, main event loop busy ${(n.elu * 100).toFixed(1)}%`,
    ];
    const r = s.result;
    const c = s.config;
    if (r && c && r.elapsedMs > 0) {
      const perStep = c.batchSize === 'full' ? (s.data?.train ?? 0) : c.batchSize;
      lines.push(
        `training: ${r.step} steps in ${duration(r.elapsedMs)}, ${count((r.step * perStep) / (r.elapsedMs / 1000))} ex/s (last progress: ${count(s.progress?.examplesPerSecond ?? 0)} ex/s)`,
      );
    } else if (s.progress)
      lines.push(
        `training: ${count(s.progress.examplesPerSecond)} ex/s at step ${s.progress.step}`,
      );
    return lines.join('\n');
  }
}
