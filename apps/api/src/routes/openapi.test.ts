import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, testApp } from '../../test/helpers.js';

let api: ReturnType<typeof testApp>;
beforeAll(() => {
  api = testApp();
});
afterAll(() => api.done());

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('the OpenAPI document, for client generators', () => {
  it('gives every operation a unique operationId', async () => {
    const doc = await jsonOf(api.app.request('/openapi.json'));
    const ids: string[] = [];
    for (const [path, item] of Object.entries<Record<string, { operationId?: string }>>(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        expect(op.operationId, `${method.toUpperCase()} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        ids.push(op.operationId!);
      }
    expect(ids.length).toBeGreaterThan(20);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('has no two path templates that differ only in parameter names', async () => {
    const doc = await jsonOf(api.app.request('/openapi.json'));
    const byShape = new Map<string, string[]>();
    for (const path of Object.keys(doc.paths)) {
      const shape = path.replace(/\{[^}]+\}/g, '{}');
      byShape.set(shape, [...(byShape.get(shape) ?? []), path]);
    }
    expect([...byShape.values()].filter((paths) => paths.length > 1)).toEqual([]);
  });
});
