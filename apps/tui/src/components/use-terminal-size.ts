import { useStdout } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { TerminalSizeSource } from '../screen-stream.js';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

const none = () => () => {};

/**
 * The terminal's size, following resizes: from `source` when given (the CLI's screen stream),
 * else from Ink's stdout; `fixed` (tests) overrides both. Falls back to 80×24.
 */
export function useTerminalSize(fixed?: TerminalSize, source?: TerminalSizeSource): TerminalSize {
  const { stdout } = useStdout();
  const [own, setOwn] = useState<TerminalSize>(() => ({
    columns: stdout.columns || 80,
    rows: stdout.rows || 24,
  }));
  const external = useSyncExternalStore(
    source ? (l: () => void) => source.subscribe(l) : none,
    source ? () => source.size() : () => null,
  );
  useEffect(() => {
    if (fixed || source) return;
    const onResize = () => setOwn({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed, source]);
  return fixed ?? external ?? own;
}
