import { stripAnsi } from '../render/color.js';

/** The text of the latest frame, without colour or attribute codes. */
export const text = (r: { lastFrame(): string | undefined }): string =>
  stripAnsi(r.lastFrame() ?? '');

/** The red, green, blue of an xterm-256 colour index (cube or grey ramp). */
export function rgb256(n: number): [number, number, number] {
  if (n >= 232) {
    const g = 8 + 10 * (n - 232);
    return [g, g, g];
  }
  const levels = [0, 95, 135, 175, 215, 255];
  const i = n - 16;
  return [levels[Math.floor(i / 36)]!, levels[Math.floor(i / 6) % 6]!, levels[i % 6]!];
}

/** The background colour (256-colour code) in effect before `needle` in `line`. */
export function backgroundBefore(line: string, needle: string): [number, number, number] | null {
  const at = line.indexOf(needle);
  const codes = [...line.slice(0, at).matchAll(/48;5;(\d+)/g)];
  const last = codes.at(-1);
  return last ? rgb256(Number(last[1])) : null;
}
