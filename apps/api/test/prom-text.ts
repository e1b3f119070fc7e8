/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be
 * a `# HELP`, a `# TYPE`, a comment, or a sample of a family declared by `# TYPE` before it, with
 * well-formed names, label pairs (escapes `\\`, `\"`, `\n`) and values. Used instead of
 * `parse-prometheus-text-format` 1.1.1, which accepts `foo{bar} 1` and merges all label sets of
 * a histogram into one sample.
 */

export type PromType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}
export interface PromFamily {
  readonly name: string;
  readonly type: PromType;
  help: string;
  readonly samples: PromSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
/** What Go's strconv.ParseFloat reads (Prometheus's parser): NaN and Inf in any case. */
const VALUE = String.raw`[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN]|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (${VALUE})(?: (-?\\d+))?$`);
const PAIR = new RegExp(String.raw`^(${LABEL})="((?:[^"\\\n]|\\[\\"n])*)"(,|$)`);
const SUFFIXES: Record<PromType, readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

const toNumber = (v: string) =>
  /nan$/i.test(v)
    ? Number.NaN
    : /inf/i.test(v)
      ? (v.startsWith('-') ? -1 : 1) * Number.POSITIVE_INFINITY
      : Number(v);

const unescapeLabel = (v: string) =>
  v.replace(/\\([\\"n])/g, (_, c: string) => (c === 'n' ? '\n' : c));

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length) {
    const m = PAIR.exec(rest);
    if (!m) throw new Error(`line ${line}: malformed labels {${text}}`);
    if (m[1]! in labels) throw new Error(`line ${line}: label ${m[1]} twice`);
    labels[m[1]!] = unescapeLabel(m[2]!);
    rest = rest.slice(m[0].length);
  }
  return labels;
}

/** The families of an exposition, by name; throws on the first line that breaks the format. */
export function parsePromText(text: string): Map<string, PromFamily> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, PromFamily>();
  const seen = new Set<string>();
  text
    .slice(0, -1)
    .split('\n')
    .forEach((raw, i) => {
      const line = i + 1;
      if (raw === '') return;
      const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (meta) {
        const [, kind, name, rest] = meta as unknown as [string, string, string, string];
        if (!new RegExp(`^${NAME}$`).test(name)) throw new Error(`line ${line}: bad name ${name}`);
        const f = families.get(name);
        if (kind === 'TYPE') {
          if (f?.samples.length) throw new Error(`line ${line}: TYPE of ${name} after its samples`);
          if (!(rest in SUFFIXES)) throw new Error(`line ${line}: unknown type ${rest}`);
          families.set(name, { name, type: rest as PromType, help: f?.help ?? '', samples: [] });
        } else if (f) f.help = rest;
        else families.set(name, { name, type: 'untyped', help: rest, samples: [] });
        return;
      }
      if (raw.startsWith('#')) return;
      const m = SAMPLE.exec(raw);
      if (!m) throw new Error(`line ${line}: not a sample: ${raw}`);
      const [, name, labelText, value] = m as unknown as [
        string,
        string,
        string | undefined,
        string,
      ];
      const family = [...families.values()].find((f) =>
        SUFFIXES[f.type].some((s) => `${f.name}${s}` === name),
      );
      if (!family) throw new Error(`line ${line}: sample ${name} has no # TYPE before it`);
      const labels = parseLabels(labelText ?? '', line);
      const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(key)) throw new Error(`line ${line}: series ${key} twice`);
      seen.add(key);
      family.samples.push({ name, labels, value: toNumber(value) });
    });
  return families;
}

/** Whether `labels` includes every pair of `want`. */
export const matches = (labels: Readonly<Record<string, string>>, want: Record<string, string>) =>
  Object.entries(want).every(([k, v]) => labels[k] === v);

/** The one sample of `name` whose labels include `want` (NaN when there is none). */
export function sampleValue(
  families: Map<string, PromFamily>,
  name: string,
  want: Record<string, string> = {},
  family = name,
): number {
  const hits = families
    .get(family)
    ?.samples.filter((s) => s.name === name && matches(s.labels, want));
  if (!hits?.length) return Number.NaN;
  if (hits.length > 1)
    throw new Error(`${name} ${JSON.stringify(want)} matches ${hits.length} series`);
  return hits[0]!.value;
}

/** A histogram's series for one label set: cumulative buckets by `le`, sum and count. */
export function histogramOf(
  families: Map<string, PromFamily>,
  name: string,
  labels: Record<string, string>,
): { buckets: [number, number][]; sum: number; count: number } {
  const f = families.get(name);
  if (f?.type !== 'histogram') throw new Error(`${name} is not a histogram`);
  const buckets = f.samples
    .filter((s) => s.name === `${name}_bucket` && matches(s.labels, labels))
    .map((s) => [toNumber(s.labels.le ?? ''), s.value] as [number, number]);
  return {
    buckets,
    sum: sampleValue(families, `${name}_sum`, labels, name),
    count: sampleValue(families, `${name}_count`, labels, name),
  };
}
