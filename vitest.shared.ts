// Settings every workspace's vitest config shares. Tests must hold on a busy machine (both
// cores loaded by other work, see CONTRIBUTING): no test depends on speed, so the time limits
// only catch hangs and are generous on purpose.
export const busyMachineTimeouts = { testTimeout: 180_000, hookTimeout: 180_000 } as const;
