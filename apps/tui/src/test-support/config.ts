import { PRESETS, resolveConfig, type TrainConfig } from '@mnist/net';

/**
 * A small, steady config for tests that train for real: 2,000 images, a constant rate, long enough
 * (1,000 epochs) that the test ends it, not the schedule.
 * Uses the plain TypeScript kernel where @mnist/net offers a choice of kernels (its threaded
 * WebAssembly kernel is still being built, and tests should not depend on it).
 */
export function tinyConfig(
  overrides: Partial<Record<keyof TrainConfig, unknown>> = {},
): TrainConfig {
  return resolveConfig({
    preset: 'fast',
    limit: 2000,
    epochs: 1000,
    schedule: 'constant',
    ...('kernel' in PRESETS.fast ? { kernel: 'js' } : {}),
    ...overrides,
  } as Partial<Record<keyof TrainConfig, unknown>>);
}

/** The same as command-line flags. */
export function tinyFlags(): string[] {
  return [
    '--preset',
    'fast',
    '--limit',
    '2000',
    '--epochs',
    '1000',
    '--schedule',
    'constant',
    ...('kernel' in PRESETS.fast ? ['--kernel', 'js'] : []),
  ];
}
