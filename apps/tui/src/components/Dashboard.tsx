import { Box } from 'ink';
import { type ReactNode, useMemo, useRef, useSyncExternalStore } from 'react';
import { GAP, type Layout, type PanelBox, planLayout } from '../layout.js';
import { type ColorMode, themeFor } from '../render/color.js';
import { SMOOTHING_LEVELS } from '../render/smoothing.js';
import { fit } from '../render/text.js';
import { SamplePicker, type TestSet } from '../samples.js';
import type { TerminalSizeSource } from '../screen-stream.js';
import type { TrainingSource } from '../source/source.js';
import { isFinished, type PanelId } from '../state/state.js';
import type { DashboardStore } from '../state/store.js';
import { AccuracyChart } from './AccuracyChart.js';
import { ConfusionMatrix } from './ConfusionMatrix.js';
import { EndScreen } from './EndScreen.js';
import { footerLines } from './Footer.js';
import { headerLines } from './Header.js';
import { HelpPanel } from './HelpPanel.js';
import { HiddenUnits, unitGeometry } from './HiddenUnits.js';
import { LossChart } from './LossChart.js';
import { Lines } from './Panel.js';
import { ProgressPanel } from './ProgressPanel.js';
import { SampleDigits, sampleGeometry } from './SampleDigits.js';
import { type Paging, useCommands } from './use-commands.js';
import { type TerminalSize, useTerminalSize } from './use-terminal-size.js';

export interface Props {
  /** Where events come from and commands go (already started with `store.dispatch`). */
  readonly source: TrainingSource;
  /** The state, fed by the source; it limits how often the view updates. */
  readonly store: DashboardStore;
  /** Test images for the sample digits, or null (the panel says why: `testNote`). */
  readonly test: TestSet | null;
  /** @default 'the test images are not loaded' */
  readonly testNote?: string;
  readonly mode: ColorMode;
  /** Where `s` saves the model. */
  readonly out: string;
  /** Fixed size (tests); by default the terminal's, following resizes. */
  readonly size?: TerminalSize;
  /** Where the size comes from when not fixed. @default Ink's stdout */
  readonly sizeSource?: TerminalSizeSource;
  /** Called after `q` has closed the source, just before the app exits. */
  readonly onQuit?: () => void;
}

const find = (layout: Layout, id: PanelId): PanelBox | undefined =>
  layout.bands.flatMap((b) => b.panels).find((p) => p.id === id);

/**
 * The dashboard: a header, the panels that fit the terminal, and the key hints. It renders the
 * store's state (at most `fps` frames a second) and turns keys into commands for the source.
 */
export function Dashboard({
  source,
  store,
  test,
  testNote = 'the test images are not loaded',
  mode,
  out,
  size,
  sizeSource,
  onQuit,
}: Props) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns, rows } = useTerminalSize(size, sizeSource);
  const theme = useMemo(() => themeFor(mode), [mode]);
  const head = headerLines(state, source.label, columns, theme);
  const foot = footerLines(state, columns, theme);
  // A wrapped notice or question takes lines from the panels, never from itself.
  const extra = head.length + foot.length - 2;
  const layout = planLayout(columns, rows - extra, state.ui.help ? null : state.ui.zoom);
  const ending = state.ui.summary && isFinished(state);
  const picker = useMemo(() => (test ? new SamplePicker(test) : null), [test]);

  const samplesBox = find(layout, 'samples');
  const sg = samplesBox ? sampleGeometry(samplesBox.width, samplesBox.height) : null;
  const sampleCount = sg ? sg.perRow * sg.rows : 0;
  const page = useMemo(
    () =>
      picker?.pick(state.weights, state.ui.sampleOffset, sampleCount, state.ui.misclassifiedOnly) ??
      null,
    [picker, state.weights, state.ui.sampleOffset, sampleCount, state.ui.misclassifiedOnly],
  );
  const unitsBox = find(layout, 'units');
  const ug = unitsBox
    ? unitGeometry(
        unitsBox.width,
        unitsBox.height,
        state.weights?.hidden ?? 0,
        state.ui.zoom === 'units',
      )
    : null;

  // What the key handler needs from this render.
  const paging = useRef<Paging>({ samples: 1, samplesTotal: 1, units: 1, unitsTotal: 1 });
  paging.current = {
    samples: Math.max(1, sampleCount),
    samplesTotal: page?.total ?? 1,
    units: Math.max(1, ug ? ug.perRow * ug.rows : 1),
    unitsTotal: state.weights?.hidden ?? 1,
  };
  useCommands({ source, store, out, paging, onQuit });

  const smoothing = SMOOTHING_LEVELS[state.ui.smoothing] ?? 0;
  const focus = state.ui.zoom ?? state.ui.focus;
  const panel = (p: PanelBox): ReactNode => {
    const common = { width: p.width, height: p.height, theme, focused: focus === p.id };
    switch (p.id) {
      case 'progress':
        return <ProgressPanel key={p.id} view={state} {...common} />;
      case 'loss':
        return (
          <LossChart
            key={p.id}
            points={state.loss}
            smoothing={smoothing}
            logScale={state.ui.logScale}
            compare={state.compare}
            {...common}
          />
        );
      case 'accuracy':
        return (
          <AccuracyChart
            key={p.id}
            train={state.trainAccuracy}
            test={state.testAccuracy}
            smoothing={smoothing}
            compare={state.compare}
            {...common}
          />
        );
      case 'confusion':
        return (
          <ConfusionMatrix
            key={p.id}
            metrics={state.evaluation?.test ?? null}
            step={state.evaluation?.step}
            {...common}
          />
        );
      case 'samples':
        return (
          <SampleDigits
            key={p.id}
            page={page}
            images={test?.images ?? null}
            note={testNote}
            mistakes={
              state.evaluation && state.evaluation.step === state.weightsStep
                ? Math.round(state.evaluation.test.count * (1 - state.evaluation.test.accuracy))
                : null
            }
            {...common}
          />
        );
      case 'units':
        return (
          <HiddenUnits
            key={p.id}
            weights={state.weights}
            step={state.weightsStep}
            offset={state.ui.unitOffset}
            full={state.ui.zoom === 'units'}
            {...common}
          />
        );
    }
  };

  if (layout.height < 3)
    return <Lines lines={[fit(`MNIST ${state.status} · q quit`, columns)]} width={columns} />;
  return (
    <Box flexDirection="column" width={columns} height={layout.height + extra} overflowY="hidden">
      <Lines lines={head} width={columns} />
      <Box flexDirection="column" height={layout.body} overflowY="hidden">
        {layout.tooSmall ? (
          <Lines
            lines={[
              fit(`terminal too small (${columns}×${rows}); 40×10 shows the panels`, columns),
            ]}
            width={columns}
          />
        ) : state.ui.help ? (
          <HelpPanel
            width={columns}
            height={layout.body}
            theme={theme}
            readOnly={state.control.allowed ? null : state.control.reason}
          />
        ) : ending ? (
          <EndScreen view={state} out={out} width={columns} height={layout.body} theme={theme} />
        ) : (
          layout.bands.map((band) => (
            <Box
              key={band.panels.map((p) => p.id).join('+')}
              flexDirection="row"
              columnGap={GAP}
              height={band.height}
              overflowY="hidden"
            >
              {band.panels.map(panel)}
            </Box>
          ))
        )}
      </Box>
      <Lines lines={foot} width={columns} />
    </Box>
  );
}
