import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSchema, SCHEMA_FILE } from '../scripts/generate.mjs';

describe('src/schema.ts', () => {
  it('is what the API generates now (else run `pnpm --filter @mnist/api-client generate`)', async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    const fresh = await generateSchema();
    if (fresh !== committed) {
      const a = committed.split('\n');
      const b = fresh.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      expect.fail(
        `src/schema.ts is out of date with the API's OpenAPI document (first difference at line ${i + 1}: committed ${JSON.stringify(a[i])}, generated ${JSON.stringify(b[i])}); run \`pnpm --filter @mnist/api-client generate\``,
      );
    }
  });
});
