/**
 * A fast path for JSON bodies: a parser over the body's bytes for the plain JSON clients send
 * (ASCII strings without escapes, numbers, arrays, objects, literals). A non-empty array of
 * numbers under a key `data` (a KServe tensor's values) comes as a Float64Array, read straight
 * from the bytes at a fraction of `JSON.parse`'s cost. Anything else (an escape, a non-ASCII
 * byte, a `__proto__` key, any syntax error) answers `FALLBACK` and the caller runs `JSON.parse`:
 * every accepted body has `JSON.parse`'s value but for those arrays, and every error is
 * `JSON.parse`'s own (fast-json.prop.test.ts checks both).
 */

/** What `parseFast` answers when the body needs `JSON.parse`. */
export const FALLBACK: unique symbol = Symbol('fallback to JSON.parse');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const PLUS = 0x2b;

/** Thrown inside the parser to unwind to `parseFast`, which answers FALLBACK. */
const fallback = new (class Fallback {})();

const isDigit = (b: number) => b >= ZERO && b <= NINE;
/** JSON's whitespace: space, tab, line feed, carriage return. */
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** The ASCII text of `b[from..to)`: short runs (keys, names, numbers) char by char, long ones decoded. */
function ascii(b: Uint8Array, from: number, to: number): string {
  if (to - from > 64) return latin1.decode(b.subarray(from, to));
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(b[k]!);
  return s;
}
const latin1 = new TextDecoder('latin1');

/** Where `numbers` collects values before copying them out (reused: parsing is synchronous). */
let scratch = new Float64Array(1024);
/** The most values the scratch keeps between bodies (2 MB; 300 images take 235,200). */
const SCRATCH_KEPT = 1 << 18;

class Parser {
  i = 0;
  constructor(private readonly b: Uint8Array) {}

  skip(): number {
    const b = this.b;
    let i = this.i;
    while (i < b.length && isSpace(b[i]!)) i++;
    this.i = i;
    return i < b.length ? b[i]! : -1;
  }

  value(): unknown {
    const ch = this.skip();
    if (ch === OPEN_BRACKET) return this.array();
    if (ch === OPEN_BRACE) return this.object();
    if (ch === QUOTE) return this.string();
    if (ch === MINUS || isDigit(ch)) return this.number();
    return this.literal();
  }

  /** A number by JSON's grammar; small integers are summed digit by digit, the rest by Number(). */
  number(): number {
    const b = this.b;
    const start = this.i;
    let i = start;
    const negative = b[i] === MINUS;
    if (negative) i++;
    if (b[i] === ZERO) i++;
    else if (isDigit(b[i] ?? -1)) {
      while (isDigit(b[i] ?? -1)) i++;
    } else throw fallback;
    const intEnd = i;
    let plain = true;
    if (b[i] === DOT) {
      plain = false;
      i++;
      if (!isDigit(b[i] ?? -1)) throw fallback;
      while (isDigit(b[i] ?? -1)) i++;
    }
    if (b[i] === LOWER_E || b[i] === UPPER_E) {
      plain = false;
      i++;
      if (b[i] === PLUS || b[i] === MINUS) i++;
      if (!isDigit(b[i] ?? -1)) throw fallback;
      while (isDigit(b[i] ?? -1)) i++;
    }
    this.i = i;
    const digitsFrom = negative ? start + 1 : start;
    if (plain && intEnd - digitsFrom <= 15) {
      let v = 0;
      for (let k = digitsFrom; k < intEnd; k++) v = v * 10 + (b[k]! - ZERO);
      return negative ? -v : v; // -0 for "-0", as JSON.parse
    }
    return Number(ascii(b, start, i));
  }

  /** The number read last by `numberAt`. */
  num = 0;

  /**
   * Reads the number at `i` into `num` and answers the index after it: a plain integer (the
   * common element of a tensor) in this loop, anything else by `number()`.
   */
  numberAt(i: number): number {
    const b = this.b;
    const n = b.length;
    let ch = b[i]!;
    if (ch >= ZERO && ch <= NINE) {
      let v = ch - ZERO;
      let j = i + 1;
      if (ch !== ZERO)
        for (; j < n; j++) {
          ch = b[j]!;
          if (ch < ZERO || ch > NINE) break;
          v = v * 10 + (ch - ZERO);
        }
      const after = j < n ? b[j]! : -1;
      if (after !== DOT && after !== LOWER_E && after !== UPPER_E && j - i <= 15) {
        this.num = v;
        return j;
      }
    }
    this.i = i;
    this.num = this.number();
    return this.i;
  }

  /** A string of printable ASCII without escapes; anything else falls back. */
  string(): string {
    const b = this.b;
    const start = ++this.i;
    let i = start;
    for (;;) {
      const ch = b[i];
      if (ch === undefined || ch < 0x20 || ch >= 0x7f || ch === BACKSLASH) throw fallback;
      if (ch === QUOTE) break;
      i++;
    }
    this.i = i + 1;
    return ascii(b, start, i);
  }

  literal(): boolean | null {
    const b = this.b;
    const i = this.i;
    const is = (word: string) => {
      for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
      return true;
    };
    if (is('true')) {
      this.i += 4;
      return true;
    }
    if (is('false')) {
      this.i += 5;
      return false;
    }
    if (is('null')) {
      this.i += 4;
      return null;
    }
    throw fallback;
  }

  array(): unknown[] {
    const b = this.b;
    const n = b.length;
    const out: unknown[] = [];
    let i = this.i + 1;
    while (i < n && isSpace(b[i]!)) i++;
    if (i < n && b[i] === CLOSE_BRACKET) {
      this.i = i + 1;
      return out;
    }
    for (;;) {
      if (i >= n) throw fallback;
      let ch = b[i]!;
      if (ch === MINUS || (ch >= ZERO && ch <= NINE)) {
        i = this.numberAt(i);
        out.push(this.num);
      } else {
        this.i = i;
        out.push(this.value());
        i = this.i;
      }
      while (i < n && isSpace(b[i]!)) i++;
      if (i >= n) throw fallback;
      ch = b[i++]!;
      if (ch === COMMA) {
        while (i < n && isSpace(b[i]!)) i++;
        continue;
      }
      if (ch === CLOSE_BRACKET) {
        this.i = i;
        return out;
      }
      throw fallback;
    }
  }

  /**
   * A non-empty array of numbers only, as a Float64Array; null, the position unchanged, when it
   * holds anything else (then it is read as an array).
   */
  numbers(): Float64Array | null {
    const b = this.b;
    const n = b.length;
    const start = this.i;
    let i = start + 1;
    let k = 0;
    let out = scratch;
    for (;;) {
      while (i < n && isSpace(b[i]!)) i++;
      if (i >= n) throw fallback;
      let ch = b[i]!;
      if (ch !== MINUS && (ch < ZERO || ch > NINE)) {
        this.i = start;
        return null;
      }
      i = this.numberAt(i);
      if (k === out.length) {
        // each value takes at least two bytes with its comma: that bounds the count
        const bound = Math.floor((n - start) / 2) + 1;
        const grown = new Float64Array(Math.max(k + 1, Math.min(k * 2, bound)));
        grown.set(out);
        scratch = out = grown;
      }
      out[k++] = this.num;
      ch = i < n ? b[i++]! : -1;
      if (ch === COMMA) continue; // the common case: no space after a value
      while (isSpace(ch)) ch = i < n ? b[i++]! : -1;
      if (ch === COMMA) continue;
      if (ch === CLOSE_BRACKET) {
        this.i = i;
        const values = out.slice(0, k);
        if (out.length > SCRATCH_KEPT) scratch = new Float64Array(1024); // a huge body's is let go
        return values;
      }
      throw fallback;
    }
  }

  object(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    if (this.skip() === CLOSE_BRACE) {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.skip() !== QUOTE) throw fallback;
      const key = this.string();
      // JSON.parse makes `__proto__` an own property; plain assignment would set the prototype.
      if (key === '__proto__') throw fallback;
      if (this.skip() !== COLON) throw fallback;
      this.i++;
      out[key] =
        key === 'data' && this.skip() === OPEN_BRACKET
          ? (this.numbers() ?? this.array())
          : this.value();
      const next = this.skip();
      this.i++;
      if (next === COMMA) continue;
      if (next === CLOSE_BRACE) return out;
      throw fallback;
    }
  }
}

/**
 * The value of the JSON in `bytes` (UTF-8), or FALLBACK when the text is not of the plain kind
 * this parser reads (then `JSON.parse` decides, and words any error).
 */
export function parseFast(bytes: Uint8Array): unknown {
  const p = new Parser(bytes);
  try {
    const value = p.value();
    if (p.skip() !== -1) return FALLBACK; // trailing text: JSON.parse names it
    return value;
  } catch {
    return FALLBACK; // `fallback`, or a RangeError from nesting deeper than the stack allows
  }
}

/** The value of the JSON in `bytes`: the fast path, else `JSON.parse` over `text()`. */
export function parseJson(bytes: Uint8Array, text: () => string): unknown {
  const fast = parseFast(bytes);
  return fast === FALLBACK ? JSON.parse(text()) : fast;
}
