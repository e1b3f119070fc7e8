/**
 * How a thread waits for another through shared memory: it spins first (a futex wake-up costs
 * tens of microseconds, as much as the work it waits for), then sleeps on the slot.
 */

/**
 * Waits until box[slot] is `value`: spins for up to `spinMs`, then sleeps; throws, naming `who`,
 * once `timeoutMs` have passed (a helper thread that never answers must not hang the caller).
 */
export function waitUntil(
  box: Int32Array,
  slot: number,
  value: number,
  o: { readonly spinMs: number; readonly timeoutMs: number; readonly who: string },
): void {
  const until = performance.now() + o.spinMs;
  for (let i = 0; Atomics.load(box, slot) !== value; i++) {
    if ((i & 63) === 63 && performance.now() > until) break;
  }
  const deadline = performance.now() + o.timeoutMs;
  for (let now = Atomics.load(box, slot); now !== value; now = Atomics.load(box, slot)) {
    if (performance.now() > deadline)
      throw new Error(`${o.who}: a helper thread did not answer within ${o.timeoutMs} ms`);
    Atomics.wait(box, slot, now, 10);
  }
}

/**
 * Waits until box[slot] differs from `value` and returns the new value: spins for up to
 * `spinMs` first (a futex wake-up costs tens of microseconds, as much as a small part), then
 * sleeps.
 */
export function waitWhileEqual(box: Int32Array, slot: number, value: number, spinMs: number) {
  let now = Atomics.load(box, slot);
  if (now !== value) return now;
  const until = performance.now() + spinMs;
  for (let i = 0; ; i++) {
    now = Atomics.load(box, slot);
    if (now !== value) return now;
    if ((i & 255) === 255 && performance.now() > until) break;
  }
  for (now = Atomics.load(box, slot); now === value; now = Atomics.load(box, slot))
    Atomics.wait(box, slot, value, 1000);
  return now;
}
