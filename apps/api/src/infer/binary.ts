/**
 * KServe V2 binary tensor data extension (Triton's `binary_tensor_data`): a request whose
 * `Inference-Header-Content-Length: N` header is set carries its JSON inference header in the
 * body's first N bytes; each input whose parameters hold `binary_data_size: B` takes the next B
 * bytes of the body as its values (little-endian, row-major, no padding), in input order. Outputs
 * asked for with `"binary_data": true` (or the request parameter `"binary_data_output": true`) are
 * answered as raw bytes after the response's JSON header, whose length the response's
 * `Inference-Header-Content-Length` gives, with `binary_data_size` in each output's parameters.
 * https://kserve.github.io/website/docs/concepts/architecture/data-plane/v2-protocol/binary-tensor-data-extension
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { readBody } from '../http/body.js';
import { parseJson } from '../http/fast-json.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../http/json-body.js';
import { invalidField, ProblemError, show } from '../problem.js';
import { InferRequest } from '../schemas/kserve.js';
import { zodProblem } from '../validation.js';
import {
  checkedImageCount,
  type Datatype,
  type DecodedImages,
  type DecodeOptions,
  formatShape,
  PIXELS,
  VALUE,
} from './images.js';
import type { KserveOutput } from './run.js';

/** The header naming the JSON part's length, in requests and responses. */
export const HEADER_LENGTH = 'Inference-Header-Content-Length';
/** The media type of a body with binary tensors. */
export const BINARY_TYPE = 'application/octet-stream';
/** The extension's name in the server metadata. */
export const BINARY_EXTENSION = 'binary_tensor_data';

export type InferBody = ReturnType<typeof InferRequest.parse>;

/** Bytes per value of each input datatype. */
const BYTES: Readonly<Record<Datatype, number>> = { UINT8: 1, FP32: 4 };

/** Whether a request carries binary tensors (the length header, or an octet-stream body). */
export function isBinaryRequest(c: Context): boolean {
  return (
    c.req.header(HEADER_LENGTH) !== undefined ||
    /^application\/octet-stream\s*(?:;|$)/i.test(c.req.header('content-type')?.trim() ?? '')
  );
}

/** A binary request: its inference header (checked by the JSON schema) and each input's raw bytes. */
export interface BinaryRequest {
  readonly body: InferBody;
  /** Per input: its bytes when it came as binary data, else undefined (its values are in `data`). */
  readonly raw: readonly (Uint8Array | undefined)[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and checks a binary request's body; every malformed part is a 400 naming expected vs got. */
export async function readBinaryRequest(c: Context): Promise<BinaryRequest> {
  const lengthText = c.req.header(HEADER_LENGTH);
  if (lengthText === undefined || !/^\d{1,15}$/.test(lengthText.trim()))
    throw invalidField(
      HEADER_LENGTH,
      'the byte length of the JSON inference header at the start of the body (a whole number)',
      lengthText === undefined ? 'no header' : show(lengthText),
      'header',
    );
  const n = Number(lengthText.trim());
  const bytes = await readBody(c); // the body limit applies before (Content-Length) or while this reads
  if (n > bytes.length)
    throw invalidField(
      HEADER_LENGTH,
      `at most the body's length, ${bytes.length} bytes`,
      `${n} bytes`,
      'header',
    );
  const head = bytes.subarray(0, n);
  if (jsonDepth(head, MAX_JSON_DEPTH) < 0)
    throw new ProblemError(
      'malformed-json',
      `the inference header nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels, the limit`,
    );
  let header: unknown;
  try {
    header = parseJson(head, () => new TextDecoder().decode(head));
  } catch (e) {
    throw new ProblemError(
      'malformed-json',
      `the first ${n} bytes of the body (${HEADER_LENGTH}) are not a JSON inference header: ${(e as Error).message}`,
    );
  }
  const inputs = isRecord(header) && Array.isArray(header.inputs) ? header.inputs : [];
  const raw: (Uint8Array | undefined)[] = [];
  let offset = n;
  inputs.forEach((input: unknown, i) => {
    const size =
      isRecord(input) && isRecord(input.parameters) ? input.parameters.binary_data_size : undefined;
    if (size === undefined) {
      raw.push(undefined);
      return;
    }
    const at = `inputs[${i}].parameters.binary_data_size`;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      throw invalidField(at, 'a byte count (a whole number)', show(size));
    if ((input as Record<string, unknown>).data !== undefined)
      throw invalidField(`inputs[${i}].data`, 'no data when binary_data_size is given', 'data');
    if (offset + size > bytes.length)
      throw invalidField(
        at,
        `at most the ${bytes.length - offset} bytes left in the body after the header and earlier inputs`,
        `${size}`,
      );
    raw.push(bytes.subarray(offset, offset + size));
    offset += size;
    (input as Record<string, unknown>).data = []; // the values are the bytes; the schema wants an array
  });
  if (offset !== bytes.length)
    throw invalidField(
      HEADER_LENGTH,
      `the header and the inputs' binary_data_size to add up to the body's ${bytes.length} bytes`,
      `${offset} bytes (${n} header + ${offset - n} binary data)`,
      'header',
    );
  const parsed = InferRequest.safeParse(header);
  if (!parsed.success) throw zodProblem(parsed.error.issues, header, 'json');
  parsed.data.inputs.forEach((t, i) => {
    const r = raw[i];
    if (r === undefined) return;
    const count = t.shape.reduce((a, d) => a * d, 1);
    const want = count * BYTES[t.datatype];
    if (r.length !== want)
      throw invalidField(
        `inputs[${i}].parameters.binary_data_size`,
        `${want} bytes (shape ${formatShape(t.shape)} of ${t.datatype}, ${BYTES[t.datatype]} bytes each)`,
        `${r.length}`,
      );
  });
  return { body: parsed.data, raw };
}

/**
 * Images from an input's raw bytes: UINT8 used as they are, FP32 viewed as a Float32Array (copied
 * only when not 4-byte aligned) and each value checked to be in [0, 1].
 */
export function rawImages(
  bytes: Uint8Array,
  shape: readonly number[],
  datatype: Datatype,
  o: DecodeOptions,
): DecodedImages {
  const count = checkedImageCount(shape, o);
  if (datatype === 'UINT8') return { count, images: { uint8: bytes } };
  const floats =
    bytes.byteOffset % 4 === 0
      ? new Float32Array(bytes.buffer, bytes.byteOffset, count * PIXELS)
      : new Float32Array(bytes.slice().buffer);
  for (let i = 0; i < floats.length; i++) {
    const v = floats[i]!;
    if (!(v >= 0 && v <= 1))
      throw invalidField(`${o.dataPath}[${i}]`, VALUE.FP32.expected, show(v));
  }
  return { count, images: { float32: floats } };
}

/** The outputs to answer as binary data: `binary_data` per output, else `binary_data_output`. */
export function binaryOutputs(body: InferBody): ReadonlySet<string> {
  const all = body.parameters?.binary_data_output;
  if (all !== undefined && typeof all !== 'boolean')
    throw invalidField('parameters.binary_data_output', 'true or false', show(all));
  const names = new Set<string>();
  (body.outputs ?? []).forEach((o, i) => {
    const one = o.parameters?.binary_data;
    if (one !== undefined && typeof one !== 'boolean')
      throw invalidField(`outputs[${i}].parameters.binary_data`, 'true or false', show(one));
    if (one ?? all) names.add(o.name);
  });
  if (body.outputs === undefined && all === true) names.add('*');
  return names;
}

/** Whether output `name` goes out as binary data, given `binaryOutputs`. */
export const isBinaryOutput = (binary: ReadonlySet<string>, name: string) =>
  binary.has(name) || binary.has('*');

/** An inference answer; JSON unless an output holds raw bytes, then the extension's layout. */
export function inferReply(
  c: Context,
  result: { readonly outputs: readonly KserveOutput[] } & Record<string, unknown>,
): Response {
  const raws = result.outputs.flatMap((o) => ('raw' in o ? [o.raw] : []));
  if (raws.length === 0) return c.json(result, 200);
  const header = new TextEncoder().encode(
    JSON.stringify({
      ...result,
      outputs: result.outputs.map((o) => {
        if (!('raw' in o)) return o;
        const { raw, ...meta } = o;
        return meta;
      }),
    }),
  );
  const out = new Uint8Array(header.length + raws.reduce((a, r) => a + r.length, 0));
  out.set(header, 0);
  let at = header.length;
  for (const r of raws) {
    out.set(r, at);
    at += r.length;
  }
  return c.body(out, 200, {
    'content-type': BINARY_TYPE,
    [HEADER_LENGTH]: String(header.length),
  });
}

const BINARY_BODY = {
  schema: z.string().openapi({
    format: 'binary',
    description: `KServe V2 binary tensor data: the JSON inference header (an InferRequest whose binary inputs have "parameters": {"binary_data_size": B} and no "data"), its byte length in the ${HEADER_LENGTH} request header, then each binary input's B bytes in input order (UINT8 bytes or little-endian FP32, row-major). Outputs with "parameters": {"binary_data": true}, or all outputs with the request parameter "binary_data_output": true, come back as ${BINARY_TYPE}: the JSON response header (its length in the response's ${HEADER_LENGTH}, each binary output with binary_data_size and no data), then the outputs' bytes (probabilities FP32, labels INT64, little-endian) in order.`,
  }),
};

/** A route's JSON body that also accepts binary tensor data (documentation; `readBinaryRequest` reads it). */
export function withBinary<B extends { body: { content: Record<string, unknown> } }>(b: B): B {
  return { ...b, body: { ...b.body, content: { ...b.body.content, [BINARY_TYPE]: BINARY_BODY } } };
}
