/**
 * The latest weights of each job, taken at its evaluations, for `GET /v1/trainings/{id}/weights`.
 * Events carry metrics only; the weights stay here and are serialised (as the same safetensors
 * model file the registry stores) when a client asks, once per snapshot. Each new snapshot gets a
 * new ETag, `"<job id>.<n>"`.
 *
 * Memory: one snapshot (and its bytes once asked for) per running job, plus the `keep` most
 * recently finished jobs (13 MB each at hidden 4096). A job the server interrupts (shutdown) has
 * its last snapshot saved to the data folder (`save`), so that it outlives the process; a job
 * killed with the process (SIGKILL) keeps none.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import {
  MODEL_FORMAT,
  modelToBytes,
  paramsOf,
  type TrainConfig,
  writeFileAtomic,
} from '@mnist/net';
import type { EvaluationEvent } from '../db/jobs.js';

export interface WeightSnapshot {
  readonly etag: string;
  /** The safetensors model file. */
  bytes(): Uint8Array;
}

interface Entry extends WeightSnapshot {
  readonly jobId: string;
}

export class WeightSnapshots {
  private readonly latest = new Map<string, Entry>();
  private readonly count = new Map<string, number>();
  private readonly finished: string[] = [];

  /**
   * @param file where job `id`'s snapshot is saved (DataDir.snapshotFile); without it, none is
   */
  constructor(
    private readonly keep = 4,
    private readonly file: ((jobId: string) => string) | null = null,
  ) {}

  /** Takes the weights of an evaluation as the job's latest snapshot. */
  take(jobId: string, config: TrainConfig, e: EvaluationEvent): void {
    const n = (this.count.get(jobId) ?? 0) + 1;
    this.count.set(jobId, n);
    const { params: p } = e;
    const createdAt = new Date().toISOString();
    let bytes: Uint8Array | null = null;
    this.latest.set(jobId, {
      jobId,
      etag: `"${jobId}.${n}"`,
      bytes() {
        bytes ??= modelToBytes({
          params: paramsOf(p),
          meta: {
            format: MODEL_FORMAT,
            hidden: p.hidden,
            config: { ...config },
            trainAccuracy: Number.isFinite(e.train.accuracy) ? e.train.accuracy : null,
            testAccuracy: Number.isFinite(e.test.accuracy) ? e.test.accuracy : null,
            seed: config.seed,
            dataChecksum: null,
            createdAt,
          },
        });
        return bytes as Uint8Array;
      },
    });
  }

  /** The job's latest snapshot: in memory, else the one saved when the server interrupted it. */
  get(jobId: string): WeightSnapshot | null {
    const live = this.latest.get(jobId);
    if (live || !this.file) return live ?? null;
    const path = this.file(jobId);
    if (!existsSync(path)) return null;
    return {
      etag: `"${jobId}.saved.${statSync(path).size}"`,
      bytes: () => readFileSync(path),
    };
  }

  /**
   * Saves the job's latest snapshot to its file (atomically: a failed write, a full disk say,
   * leaves no partial file). Resolves false when there is nothing to save or no folder.
   */
  async save(jobId: string): Promise<boolean> {
    const snapshot = this.latest.get(jobId);
    if (!snapshot || !this.file) return false;
    await writeFileAtomic(this.file(jobId), snapshot.bytes());
    return true;
  }

  /** The job ended: its snapshot stays until `keep` later jobs have ended. */
  finish(jobId: string): void {
    this.count.delete(jobId);
    if (!this.latest.has(jobId) || this.finished.includes(jobId)) return;
    this.finished.push(jobId);
    while (this.finished.length > this.keep) this.latest.delete(this.finished.shift()!);
  }
}
