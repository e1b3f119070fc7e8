// The training dashboard (`mnist-dashboard`, entry point `cli.tsx`). Its parts, by layer:

export { DASHBOARD_FLAGS, type DashboardArgs, helpText, parseDashboardArgs } from './args.js';
// The terminal: Ink components, plain lines for pipes, command-line flags.
export { Dashboard, type Props as DashboardProps } from './components/Dashboard.js';
export {
  BINDINGS,
  type Binding,
  type Command,
  commandFor,
  type KeyInfo,
  RATE_STEP,
} from './keys.js';
export { type Layout, MIN_SIZE, planLayout } from './layout.js';
export { PlainPrinter } from './plain.js';
export { BrailleCanvas } from './render/braille.js';
export { type ChartOptions, type ChartPoint, type ChartSeries, lineChart } from './render/chart.js';
// Text rendering: colour modes, braille charts, half-block images, smoothing.
export { type ColorMode, detectColorMode, type Rgb, type Theme, themeFor } from './render/color.js';
export { digitLines } from './render/digit.js';
export { diverging, GREY, halfBlocks, resample, type Shader } from './render/heatmap.js';
export { SMOOTHING_LEVELS, smooth } from './render/smoothing.js';
export { StyledLine } from './render/styled-line.js';
export { type Page, type Sample, SamplePicker, type TestSet } from './samples.js';
export { type AttachOptions, AttachSource, AttachUrlError, parseJobUrl } from './source/attach.js';
export { LocalSource } from './source/local.js';
export { modelFromState, saveCurrent } from './source/save.js';
// Where events come from: a local training run, or a job of the HTTP API.
export type { TrainingSource } from './source/source.js';
export { type SseMessage, SseParser } from './source/sse.js';
// State: TrainingEvents and keys in, what the panels show out (no Ink needed).
export { type Action, reduce, type UiAction, weightsOf } from './state/reducer.js';
export {
  type DashboardState,
  type Evaluation,
  hasUnsavedModel,
  initialState,
  isFinished,
  type JobStatus,
  PANELS,
  type PanelId,
  type RunStatus,
  stepOf,
  type Weights,
} from './state/state.js';
export { DashboardStore, type StoreOptions, type Timers } from './state/store.js';
