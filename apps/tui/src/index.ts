// Filled in by its own issue; see the root README for the plan.
export {};
