/**
 * What a dashboard session starts with, for the live view and plain lines alike: the source of
 * events, the run's record, earlier runs to compare, and (with --resume) the saved model, its
 * config and the history the charts continue from.
 */
import {
  applies,
  checkConfig,
  loadModel,
  type Resume,
  resolveConfig,
  snapshotOf,
} from '@mnist/net';
import { TRAIN_FLAGS, type TrainArgs, trainArgsFrom } from '@mnist/net/cli';
import type { DashboardArgs } from './args.js';
import { compareRunOf, historyOf, readRun, resolveRun, runOfModel } from './runs/read.js';
import { RunRecorder } from './runs/record.js';
import { AttachSource } from './source/attach.js';
import { LocalSource } from './source/local.js';
import type { TrainingSource } from './source/source.js';
import type { Action } from './state/reducer.js';

export interface Session {
  readonly source: TrainingSource;
  readonly train: TrainArgs;
  readonly recorder: RunRecorder;
  /** Actions to apply before the first event: earlier runs, the resumed run's history. */
  readonly preload: readonly Action[];
}

/**
 * A saved model's config with the flags given on top (a resumed run keeps its architecture and
 * settings unless told otherwise), through the same flag parser as a fresh run.
 */
export function resumedArgs(
  saved: Readonly<Record<string, unknown>>,
  given: DashboardArgs['trainValues'],
): TrainArgs {
  const fields = checkConfig({
    ...resolveConfig(),
    ...Object.fromEntries(Object.entries(saved).filter(([k]) => k in resolveConfig())),
  });
  const out = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  // only the fields that apply to the run (no epochs for a full-batch one), as a user would give
  const givenBatch = out['batch-size'];
  const batch = givenBatch === undefined ? fields.batchSize : givenBatch === 'full' ? 'full' : 1;
  const values: Record<string, string> = {};
  for (const [flag, def] of Object.entries(TRAIN_FLAGS)) {
    if (def.field === null || flag === 'learning-rate' || !applies(def.field, batch)) continue;
    values[flag] = String(fields[def.field]);
  }
  if ('learning-rate' in out) delete values.lr;
  return trainArgsFrom({ ...values, ...out });
}

/** Prepares the session (loads the model to resume and the runs to compare; creates the record). */
export async function openSession(args: DashboardArgs, interactive: boolean): Promise<Session> {
  const preload: Action[] = [];
  if (args.compare.length)
    preload.push({
      type: 'compare',
      runs: args.compare.map((name) => compareRunOf(readRun(resolveRun(args.runs, name)))),
    });
  let train = args.train;
  let resume: Resume | undefined;
  let resumedFrom: { model: string; step: number; run: string | null } | null = null;
  if (args.resume) {
    const model = await loadModel(args.resume);
    const step = model.meta.step ?? 0;
    train = resumedArgs(model.meta.config, args.trainValues);
    resume = { step, params: snapshotOf(model.params) };
    const run = runOfModel(args.runs, args.resume, model.meta.step ?? null);
    resumedFrom = { model: args.resume, step, run };
    if (run) preload.push({ type: 'history', ...historyOf(readRun(run), step) });
  }
  const source: TrainingSource = args.attach
    ? new AttachSource({ url: args.attach, ...(args.token ? { token: args.token } : {}) })
    : new LocalSource({
        config: train.config,
        ...(train.dataDir === undefined ? {} : { dataDir: train.dataDir }),
        progressIntervalMs: interactive ? 100 : 1000,
        ...(resume ? { resume } : {}),
      });
  const recorder = RunRecorder.create(args.runs, {
    source: args.attach ? 'attach' : 'local',
    job: args.attach,
    preset: args.attach ? null : train.config.preset,
    resumedFrom,
  });
  preload.push({ type: 'record', dir: recorder.dir });
  return { source, train, recorder, preload };
}
