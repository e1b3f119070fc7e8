import { useApp, useInput } from 'ink';
import { type MutableRefObject, useCallback, useRef } from 'react';
import { type Command, commandFor, type KeyInfo, splitKeys } from '../keys.js';
import { nextRate } from '../rate.js';
import { saveCurrent } from '../source/save.js';
import type { TrainingSource } from '../source/source.js';
import { hasUnsavedModel, isFinished } from '../state/state.js';
import type { DashboardStore } from '../state/store.js';

/** Page sizes of the panels as laid out now (the paging keys move by a page). */
export interface Paging {
  samples: number;
  samplesTotal: number;
  units: number;
  unitsTotal: number;
}

export interface CommandOptions {
  readonly source: TrainingSource;
  readonly store: DashboardStore;
  /** Where `s` saves. */
  readonly out: string;
  readonly paging: MutableRefObject<Paging>;
  readonly onQuit?: (() => void) | undefined;
}

/**
 * The keys of the dashboard: reads them with Ink's `useInput`, turns them into commands with the
 * shared key table, and carries them out on the source (pause, rate, stop), the model file (save)
 * and the store (everything the viewer changes). Quitting closes the source and exits Ink.
 */
export function useCommands({ source, store, out, paging, onQuit }: CommandOptions): void {
  const { exit } = useApp();
  const busy = useRef(false);

  const save = useCallback(async (): Promise<boolean> => {
    const s = store.getState();
    if (s.saving) return false;
    store.dispatchNow({ type: 'saving' });
    try {
      const step = await saveCurrent(out, s, source);
      store.dispatchNow({ type: 'saved', path: out, step });
      return true;
    } catch (e) {
      store.dispatchNow({
        type: 'notice',
        text: `not saved: ${(e as Error).message}`,
        tone: 'bad',
      });
      return false;
    }
  }, [store, source, out]);

  const quit = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    store.dispatchNow({ type: 'notice', text: 'quitting…', tone: 'info' });
    await source.close().catch(() => {});
    store.close();
    onQuit?.();
    exit();
  }, [store, source, exit, onQuit]);

  const run = useCallback(
    (c: Command) => {
      const s = store.getState();
      const steer = () => {
        if (!s.control.allowed) {
          store.dispatchNow({
            type: 'notice',
            text: `read-only: ${s.control.reason ?? 'the server refused control'}`,
            tone: 'warn',
          });
          return false;
        }
        if (isFinished(s)) {
          store.dispatchNow({ type: 'notice', text: 'the run is over', tone: 'info' });
          return false;
        }
        return true;
      };
      const report = (p: Promise<void>) =>
        p.catch((e: Error) => store.dispatchNow({ type: 'notice', text: e.message, tone: 'bad' }));
      switch (c.kind) {
        case 'pause':
          if (steer()) void report(s.status === 'paused' ? source.resume() : source.pause());
          return;
        case 'rate': {
          if (!steer()) return;
          const next = nextRate(s, c.factor);
          if ('error' in next) {
            store.dispatchNow({ type: 'notice', text: next.error, tone: 'warn' });
            return;
          }
          store.dispatchNow({ type: 'rate-requested', rate: next.rate });
          void report(source.setLearningRate(next.rate));
          return;
        }
        case 'stop':
          if (steer()) store.dispatchNow({ type: 'ui', ui: { kind: 'confirm', what: 'stop' } });
          return;
        case 'save':
          void save();
          return;
        case 'quit':
          if (source.kind === 'local' && hasUnsavedModel(s))
            store.dispatchNow({ type: 'ui', ui: { kind: 'confirm', what: 'quit' } });
          else void quit();
          return;
        case 'confirm': {
          const what = s.ui.confirm;
          store.dispatchNow({ type: 'ui', ui: { kind: 'confirm', what: null } });
          if (c.answer === 'no') return;
          if (what === 'stop') {
            store.dispatchNow({ type: 'stopping' });
            void report(source.stop());
          } else if (what === 'quit') {
            if (c.answer === 'save') void save().then((ok) => (ok ? quit() : undefined));
            else void quit();
          }
          return;
        }
        case 'help':
          store.dispatchNow({ type: 'ui', ui: { kind: 'help' } });
          return;
        case 'focus':
          store.dispatchNow({ type: 'ui', ui: { kind: 'focus', delta: c.delta } });
          return;
        case 'zoom':
          store.dispatchNow({ type: 'ui', ui: { kind: 'zoom', panel: c.panel } });
          return;
        case 'page': {
          const p = paging.current;
          const units = (s.ui.zoom ?? s.ui.focus) === 'units';
          store.dispatchNow({
            type: 'ui',
            ui: units
              ? { kind: 'units', delta: c.delta, pageSize: p.units, total: p.unitsTotal }
              : { kind: 'samples', delta: c.delta, pageSize: p.samples, total: p.samplesTotal },
          });
          return;
        }
        case 'misclassified':
          store.dispatchNow({ type: 'ui', ui: { kind: 'misclassified' } });
          return;
        case 'smoothing':
          store.dispatchNow({ type: 'ui', ui: { kind: 'smoothing', delta: c.delta } });
          return;
        case 'log-scale':
          store.dispatchNow({ type: 'ui', ui: { kind: 'log-scale' } });
          return;
        case 'summary':
          store.dispatchNow({ type: 'ui', ui: { kind: 'summary' } });
          return;
      }
    },
    [store, source, save, quit, paging],
  );

  useInput(
    useCallback(
      (input: string, key: KeyInfo) => {
        for (const k of splitKeys(input, key)) {
          const c = commandFor(k.input, k.key, store.getState().ui.confirm !== null);
          if (c) run(c);
        }
      },
      [store, run],
    ),
  );
}
