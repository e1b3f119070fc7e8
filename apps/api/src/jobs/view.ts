/** A job as the API shows it. */
import type { JobRow } from '../db/jobs.js';

const metricsView = (m: { loss: number; accuracy: number } | null) =>
  m ? { loss: m.loss, accuracy: m.accuracy } : null;

export function jobView(row: JobRow, queuePosition: number | null) {
  const self = `/v1/trainings/${row.id}`;
  const p = row.progress;
  const r = row.result;
  return {
    id: row.id,
    status: row.status,
    modelName: row.modelName,
    config: row.config,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    modelId: row.modelId,
    error: row.error,
    queuePosition,
    progress: p
      ? {
          step: p.step,
          totalSteps: p.totalSteps,
          epoch: p.epoch,
          elapsedMs: p.elapsedMs,
          loss: p.loss,
          accuracy: p.accuracy,
          learningRate: p.learningRate,
          examplesPerSecond: p.examplesPerSecond,
          etaMs: p.etaMs,
        }
      : null,
    result: r
      ? {
          reason: r.reason,
          step: r.step,
          epoch: r.epoch,
          elapsedMs: r.elapsedMs,
          train: metricsView(r.train)!,
          test: {
            ...metricsView(r.test)!,
            perClass: r.test.perClass.map((v) => (Number.isFinite(v) ? v : null)),
          },
          validation: metricsView(r.validation),
        }
      : null,
    links: {
      self,
      events: `${self}/events`,
      metrics: `${self}/metrics`,
      model: row.modelId ? `/v1/models/${row.modelId}` : null,
    },
  };
}

export type JobView = ReturnType<typeof jobView>;
