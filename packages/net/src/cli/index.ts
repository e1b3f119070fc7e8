// @mnist/net/cli: what the command lines of the training command, the dashboard and the server
// share: the training flags (derived from the config's field table) and terminal formatting.
export {
  type FlagSpec,
  flagOf,
  parseTrainFlags,
  TRAIN_FLAGS,
  type TrainArgs,
  type TrainFlag,
  trainArgsFrom,
  trainFlagsHelp,
  UsageError,
  userCwd,
} from './flags.js';
export { bar, count, duration, paint, percent, useColor } from './format.js';
