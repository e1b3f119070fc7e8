/**
 * File downloads with an ETag: the OpenAPI responses of a download route and the handler's answer
 * (304 when `If-None-Match` matches, else the bytes with their type, file name and ETag). Used by
 * the model, job-snapshot and ONNX downloads.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { problems } from '../schemas/common.js';

/** The responses of a route that downloads one file of `contentType`. */
export function downloadResponses(contentType: string, description: string) {
  return {
    200: {
      content: { [contentType]: { schema: z.string().openapi({ format: 'binary' }) } },
      description,
    },
    304: { description: 'Not modified (If-None-Match)' },
    400: problems[400],
    404: problems[404],
    503: problems[503],
  } as const;
}

export interface Download {
  readonly etag: string;
  readonly contentType: string;
  readonly fileName: string;
  /** Read only when the client does not already hold this version. */
  readonly bytes: () => Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** 304 when the client's `If-None-Match` is this file's ETag, else the file. */
export async function download(c: Context, d: Download): Promise<Response> {
  if (c.req.header('if-none-match') === d.etag) return c.body(null, 304, { etag: d.etag });
  return c.body(new Uint8Array(await d.bytes()), 200, {
    'content-type': d.contentType,
    'content-disposition': `attachment; filename="${d.fileName}"`,
    ...d.headers,
    etag: d.etag,
  });
}
