import { loadMnist, type TrainingData } from '@mnist/net';

/** MNIST as the trainer takes it: pixels and labels as bytes, 60,000 train and 10,000 test. */
export async function loadTrainingData(dir?: string): Promise<TrainingData> {
  const { train, test } = await loadMnist(dir === undefined ? {} : { dir });
  return {
    train: { pixels: train.images, labels: train.labels, count: train.count },
    test: { pixels: test.images, labels: test.labels, count: test.count },
  };
}

/** The options JSON a child gets as its second argument (`{}` when absent). */
export function childOptions(raw: string | undefined, who: string): Record<string, unknown> {
  if (raw === undefined || raw === '') return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v === 'object' && v !== null && !Array.isArray(v))
      return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`${who}: the options must be a JSON object, got ${JSON.stringify(raw)}`);
}

/** A positive integer option, or `fallback`; the error names the option. */
export function intOption(opts: Record<string, unknown>, name: string, fallback: number): number {
  const v = opts[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new Error(`option ${name}: expected a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** A string option; the error names the option. */
export function stringOption(opts: Record<string, unknown>, name: string): string {
  const v = opts[name];
  if (typeof v !== 'string' || v === '')
    throw new Error(`option ${name}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

/** Prints the result object as the last line of stdout, the one the harness reads. */
export function emit(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs a child's main, printing the error and exiting 1 on failure. */
export function runMain(who: string, main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`${who}: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
