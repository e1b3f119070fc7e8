// The part of autocannon 8's API the bench uses (the package ships no types).
declare module 'autocannon' {
  interface Histogram {
    readonly average: number;
    readonly mean: number;
    readonly stddev: number;
    readonly min: number;
    readonly max: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
  }
  interface Result {
    /** Requests per second, sampled every second. */
    readonly requests: Histogram & { readonly total: number };
    /** Milliseconds. */
    readonly latency: Histogram;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly '2xx': number;
    /** Seconds. */
    readonly duration: number;
  }
  interface Options {
    readonly url: string;
    readonly method?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string | Buffer;
    readonly connections?: number;
    /** Seconds. */
    readonly duration?: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
