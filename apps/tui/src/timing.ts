/**
 * Speed and time left from the trainer's progress reports. Their `elapsedMs` is running time
 * (the trainer's clock stops while paused), and the speed is taken over the latest stretch of
 * running time, so a pause changes neither examples per second nor the ETA.
 */
import type { SpeedSample } from './state/state.js';

/** The stretch of running time the speed is measured over. */
export const SPEED_WINDOW_MS = 10_000;

export interface Speed {
  readonly examplesPerSecond: number;
  readonly etaMs: number;
}

/**
 * Examples per second and time left to `totalSteps`, from progress positions (oldest first) over
 * the last `windowMs` of running time; null until two positions are apart in time.
 */
export function speedOf(
  samples: readonly SpeedSample[],
  totalSteps: number,
  examplesPerStep: number,
  windowMs = SPEED_WINDOW_MS,
): Speed | null {
  const last = samples.at(-1);
  if (!last) return null;
  const first = samples.find((p) => last.elapsedMs - p.elapsedMs <= windowMs) ?? last;
  const dt = last.elapsedMs - first.elapsedMs;
  const steps = last.step - first.step;
  if (!(dt > 0 && steps > 0)) return null;
  const stepsPerMs = steps / dt;
  return {
    examplesPerSecond: stepsPerMs * examplesPerStep * 1000,
    etaMs: Math.max(0, totalSteps - last.step) / stepsPerMs,
  };
}
