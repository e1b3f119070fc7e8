import { availableParallelism } from 'node:os';
import { clone, Rng } from '@mnist/tensor';
import { snapshotOf, type WeightsSnapshot } from '../model/weights.js';
import { initParams, PARAM_NAMES, type Params } from '../network/params.js';
import { scheduledRate, type TrainConfig } from './config.js';
import type { StopReason, TrainingEvent, TrainResult } from './events.js';
import { type Examples, sliceExamples } from './examples.js';
import { Kernel, type TrainingKernel } from './kernel.js';
import { evaluate, type Metrics } from './metrics.js';
import { openSession } from './session.js';
import { WasmKernel, wasmKernelAvailable } from './wasm/kernel.js';

/** The data of a run: the training and test sets. */
export interface TrainingData {
  readonly train: Examples;
  readonly test: Examples;
}

/** What a driver can change while a run goes on; the loop reads it between steps. */
export interface Control {
  /** Set to end the run after the current step; the result keeps the weights so far. */
  stop: boolean;
  /** Set to change the base learning rate; the loop clears it once applied. */
  learningRate: number | null;
}

/** Options of the loop that do not change its result. */
export interface LoopOptions {
  /** Least time between two progress events. @default 100 */
  readonly progressIntervalMs?: number;
  /** Clock in milliseconds (tests pass a fake). @default performance.now */
  readonly now?: () => number;
  /** Whether the wasm kernel can run here (tests pass false). @default probed once */
  readonly wasmAvailable?: boolean;
  /** Go on from a saved model: start from its weights, count steps on from its step. */
  readonly resume?: Resume;
}

/** Where a resumed run starts: the weights of a saved model and the steps it had done. */
export interface Resume {
  readonly params: WeightsSnapshot;
  readonly step: number;
}

/** The warning a run gives when it asks for the wasm kernel and gets the JS one. */
export const KERNEL_FALLBACK_WARNING =
  'the wasm kernel cannot run here (dist/kernel.wasm missing, or no WebAssembly SIMD or threads): training on the js reference kernel instead, which is slower; run `pnpm build`, or pass --kernel js to choose it';

/** The kernel a config asks for: WebAssembly SIMD on `threads` threads, or plain TypeScript. */
export function createKernel(
  config: Pick<TrainConfig, 'hidden' | 'kernel' | 'threads'>,
  wasmAvailable = config.kernel === 'wasm' && wasmKernelAvailable(),
): TrainingKernel {
  if (config.kernel === 'wasm' && wasmAvailable) {
    return new WasmKernel(
      config.hidden,
      config.threads === 0 ? availableParallelism() : config.threads,
    );
  }
  return new Kernel(config.hidden);
}

/**
 * The training loop as a generator: it yields an event when there is one to report and `null`
 * after every step, so the driver (a worker, a test, a benchmark) can pause it by not calling
 * `next()`, and change `control` between steps. It returns the trained model.
 *
 * Full batch (`batchSize: 'full'`) is the notes' gradient descent over all examples per step;
 * otherwise each epoch visits the examples in a fresh seeded order, `batchSize` at a time.
 */
export function* trainingLoop(
  config: TrainConfig,
  data: TrainingData,
  control: Control,
  options: LoopOptions = {},
): Generator<TrainingEvent | null, TrainResult> {
  const now = options.now ?? (() => performance.now());
  const interval = options.progressIntervalMs ?? 100;
  const t0 = now();
  const rng = new Rng(config.seed);

  const wasmAvailable =
    options.wasmAvailable ?? (config.kernel === 'wasm' && wasmKernelAvailable());
  const kernel = createKernel(config, wasmAvailable);
  try {
    return yield* run(kernel);
  } finally {
    kernel.dispose();
  }

  function* run(kernel: TrainingKernel): Generator<TrainingEvent | null, TrainResult> {
    const all =
      config.limit > 0
        ? sliceExamples(data.train, 0, Math.min(config.limit, data.train.count))
        : data.train;
    const nVal = Math.min(config.validation, all.count - 1);
    const train = kernel.attach(sliceExamples(all, 0, all.count - nVal));
    const validation =
      nVal > 0 ? kernel.attach(sliceExamples(all, all.count - nVal, all.count)) : null;
    const test = kernel.attach(data.test);
    const m = train.examples.count;

    const full = config.batchSize === 'full';
    const batch = full ? m : Math.min(config.batchSize as number, m);
    const stepsPerEpoch = full ? 1 : Math.ceil(m / batch);
    const totalSteps = full ? config.iterations : stepsPerEpoch * config.epochs;

    const initial = initParams(config.hidden, config.init, rng);
    const offset = options.resume ? resumeInto(initial, options.resume) : 0;
    const session = openSession(kernel, initial, {
      name: config.optimizer,
      momentum: config.momentum,
    });
    /** The weights early stopping went back to; null while the session's are current. */
    let restored: Params<'h'> | null = null;
    const current = () => restored ?? session.params();
    const order = new Uint32Array(m); // 0…m−1 (a loop: \`Uint32Array.from\` takes ms here)
    for (let i = 0; i < m; i++) order[i] = i;
    session.reorder(order);
    let alpha = config.learningRate;

    yield {
      type: 'start',
      config,
      data: { train: m, validation: nVal, test: test.examples.count },
      totalSteps: offset + totalSteps,
    };
    if (config.kernel === 'wasm' && !wasmAvailable)
      yield { type: 'warning', message: KERNEL_FALLBACK_WARNING };

    let step = 0;
    let lastReport = t0;
    let sinceReport = { loss: 0, correct: 0, count: 0 };
    let reason: StopReason = 'completed';
    let best: { loss: number; params: Params<'h'>; at: number } | null = null;
    let evaluations = 0;

    const position = (epoch: number) => ({
      step: offset + step,
      totalSteps: offset + totalSteps,
      epoch,
      iteration: offset + step,
      elapsedMs: now() - t0,
    });
    let last: {
      step: number;
      restored: Params<'h'> | null;
      metrics: ReturnType<typeof measure>;
    } | null = null;
    const measure = () => {
      const params = current();
      return {
        params: snapshotOf(params),
        train: evaluate(kernel, params, train),
        test: evaluate(kernel, params, test),
        validation: validation ? evaluate(kernel, params, validation) : null,
      };
    };
    /** Metrics of the current weights, computed once per step count. */
    const evaluateAll = () => {
      if (last?.step !== step || last.restored !== restored)
        last = { step, restored, metrics: measure() };
      return last.metrics;
    };

    outer: for (let epoch = 0; epoch < (full ? 1 : config.epochs); epoch++) {
      if (!full) session.reorder(rng.shuffle(order));
      for (let s = 0; s < (full ? totalSteps : stepsPerEpoch); s++) {
        if (control.learningRate !== null) {
          const previous = alpha;
          alpha = control.learningRate;
          control.learningRate = null;
          yield { type: 'learning-rate', learningRate: alpha, step: offset + step, previous };
        }
        if (control.stop) {
          reason = 'stopped';
          break outer;
        }
        const from = full ? 0 : s * batch;
        const to = full ? m : Math.min(m, from + batch);
        const rate = scheduledRate(config, alpha, step / Math.max(1, totalSteps));
        const stats = session.step(train, from, to, rate);
        step++;
        sinceReport.loss += stats.loss;
        sinceReport.correct += stats.correct;
        sinceReport.count += to - from;

        const t = now();
        if (t - lastReport >= interval || step === totalSteps) {
          const elapsed = t - t0;
          const perStep = elapsed / step;
          yield {
            type: 'progress',
            ...position(full ? step : epoch + 1),
            loss: sinceReport.loss / sinceReport.count,
            accuracy: sinceReport.correct / sinceReport.count,
            learningRate: rate,
            examplesPerSecond: elapsed > 0 ? ((step * (full ? m : batch)) / elapsed) * 1000 : 0,
            etaMs: perStep * (totalSteps - step),
          };
          lastReport = t;
          sinceReport = { loss: 0, correct: 0, count: 0 };
        }
        const evalNow = full ? step % config.evalEvery === 0 || step === totalSteps : false;
        if (evalNow) {
          yield { type: 'evaluation', ...position(step), ...evaluateAll() };
        } else yield null;
      }
      if (!full && ((epoch + 1) % config.evalEvery === 0 || epoch + 1 === config.epochs)) {
        const metrics = evaluateAll();
        evaluations++;
        yield { type: 'evaluation', ...position(epoch + 1), ...metrics };
        if (metrics.validation && config.patience > 0) {
          if (!best || metrics.validation.loss < best.loss) {
            best = {
              loss: metrics.validation.loss,
              params: copyParams(current()),
              at: evaluations,
            };
          } else if (evaluations - best.at >= config.patience) {
            restored = best.params;
            reason = 'early-stopped';
            break;
          }
        }
      }
    }

    const { params: _snapshot, ...final } = evaluateAll();
    const epochs = full ? 1 : Math.floor(step / stepsPerEpoch);
    const result: TrainResult = {
      ...position(full ? step : epochs),
      reason,
      config,
      ...final,
      params: current(),
    };
    const { params: _weights, ...summary } = result;
    yield { type: 'done', result: summary };
    return result;
  }
}

/** Copies a saved model's weights into `p` (same H); returns the step count to go on from. */
function resumeInto(p: Params<'h'>, r: Resume): number {
  if (r.params.hidden !== p.W1.shape[0])
    throw new Error(
      `resume: the model has ${r.params.hidden} hidden units, the config ${p.W1.shape[0]}`,
    );
  for (const name of PARAM_NAMES) p[name].data.set(r.params[name]);
  return r.step;
}

function copyParams(p: Params<'h'>): Params<'h'> {
  return { W1: clone(p.W1), b1: clone(p.b1), W2: clone(p.W2), b2: clone(p.b2) };
}

/** Runs a loop to its end in this thread, passing each event to `onEvent`. */
export function runTraining(
  config: TrainConfig,
  data: TrainingData,
  onEvent: (e: TrainingEvent) => void = () => {},
  control: Control = { stop: false, learningRate: null },
  options: LoopOptions = {},
): TrainResult {
  const it = trainingLoop(config, data, control, options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    if (r.value) onEvent(r.value);
  }
}

export type { Metrics };
