/** Shared test fixtures: throw-away data directories, apps, models, MNIST images, SSE reading. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  initParams,
  loadMnistSplit,
  MODEL_FORMAT,
  type Model,
  modelToBytes,
  resolveConfig,
} from '@mnist/net';
import { Rng } from '@mnist/tensor';
import { type Api, createApp } from '../src/app.js';
import type { ApiOptions } from '../src/config.js';
import { silentLogger } from '../src/log.js';

/** A fresh temporary directory; removed by the returned function. */
export function tempDir(prefix = 'mnist-api-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** An app over a temporary directory, quiet, with a short heartbeat. `done()` closes and removes it. */
export function testApp(
  options: ApiOptions = {},
): Api & { dir: string; done: () => Promise<void> } {
  const dir = options.dataDir ? { path: options.dataDir, remove: () => {} } : tempDir();
  const api = createApp({
    logger: silentLogger,
    heartbeatMs: 50,
    trainThreads: 1,
    progressIntervalMs: 50,
    ...options,
    dataDir: dir.path,
  });
  api.start(null);
  return Object.assign(api, {
    dir: dir.path,
    done: async () => {
      await api.close();
      dir.remove();
    },
  });
}

/** A model with seeded random weights (no training). */
export function randomModel(hidden = 10, seed = 1): Model {
  return {
    params: initParams(hidden, 'he', new Rng(seed)),
    meta: {
      format: MODEL_FORMAT,
      hidden,
      config: { ...resolveConfig({ preset: 'fast', hidden }) },
      trainAccuracy: 0.5,
      testAccuracy: 0.5,
      seed,
      dataChecksum: null,
      createdAt: new Date(0).toISOString(),
    },
  };
}

export const randomModelBytes = (hidden = 10, seed = 1) => modelToBytes(randomModel(hidden, seed));

/** A run of a second or less: 1000 images, one epoch. */
export const TINY = { preset: 'fast', limit: 1000, epochs: 1 } as const;
/** A run of tens of seconds (full batch, plain TypeScript kernel) for tests that pause or cancel it. */
export const SLOW = {
  preset: 'fast',
  batchSize: 'full',
  limit: 2000,
  iterations: 3000,
  kernel: 'js',
  evalEvery: 1_000_000,
} as const;

let testImages: { images: Uint8Array; labels: Uint8Array } | null = null;
/** The first `n` MNIST test images (bytes) and labels. */
export async function mnistTest(n: number): Promise<{ images: Uint8Array; labels: Uint8Array }> {
  testImages ??= await loadMnistSplit('test');
  return {
    images: testImages.images.subarray(0, n * 784),
    labels: testImages.labels.subarray(0, n),
  };
}

/** A response body read as JSON; tests then read it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed body is checked by the assertions that read it
export type Json = any;
export async function jsonOf(res: Response | Promise<Response>): Promise<Json> {
  return (await res).json();
}

/** A request with a JSON body. */
export function jsonInit(
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  };
}

/** A KServe request for `pixels` (n × 784 bytes). */
export function kserveBody(pixels: Uint8Array, id?: string) {
  return {
    ...(id ? { id } : {}),
    inputs: [
      {
        name: 'input',
        shape: [pixels.length / 784, 784],
        datatype: 'UINT8',
        data: Array.from(pixels),
      },
    ],
  };
}

export interface SseMessage {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

/** Parses complete SSE messages (and `: comments`) from text. */
export function parseSse(text: string): {
  messages: SseMessage[];
  comments: string[];
  rest: string;
} {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const blocks = text.split('\n\n');
  const rest = blocks.pop()!;
  for (const block of blocks) {
    let event = 'message';
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length) messages.push({ event, id, data: data.join('\n') });
  }
  return { messages, comments, rest };
}

/**
 * Reads an SSE body until `stop` says so, the stream ends, or `timeoutMs` passes; then cancels it.
 * Returns the messages and comments seen and whether the server ended the stream.
 */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  stop: (messages: SseMessage[]) => boolean = () => false,
  timeoutMs = 15_000,
): Promise<{ messages: SseMessage[]; comments: string[]; ended: boolean }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let buffer = '';
  let ended = false;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), left);
      }),
    ]);
    clearTimeout(timer);
    if (next === null) break;
    if (next.done) {
      ended = true;
      break;
    }
    const parsed = parseSse(buffer + decoder.decode(next.value, { stream: true }));
    buffer = parsed.rest;
    messages.push(...parsed.messages);
    comments.push(...parsed.comments);
    if (stop(messages)) break;
  }
  if (!ended) await reader.cancel().catch(() => {});
  return { messages, comments, ended };
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
