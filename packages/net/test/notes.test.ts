/**
 * docs/notes.md links each equation to the line that computes it. This keeps the links true:
 * every linked file exists, every line range is inside it, and a link named by code (`dW2 = …`)
 * points at lines that contain that name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const notes = resolve(root, 'docs/notes.md');
const text = readFileSync(notes, 'utf8');
const links = [...text.matchAll(/\[([^\]]+)\]\((\.\.\/[^)#\s]+)(?:#L(\d+)(?:-L(\d+))?)?\)/g)].map(
  ([, label, path, from, to]) => ({
    label: label!,
    path: path!,
    from: from === undefined ? null : Number(from),
    to: to === undefined ? (from === undefined ? null : Number(from)) : Number(to),
  }),
);

describe('docs/notes.md', () => {
  it('links the code of every equation (and nothing outside the repository)', () => {
    expect(links.length).toBeGreaterThan(20);
    expect(text).not.toMatch(/shared\/seed/);
  });

  it.each(links.map((l) => [`${l.label} → ${l.path}${l.from ? `#L${l.from}` : ''}`, l]))(
    '%s',
    (_name, link) => {
      const file = resolve(dirname(notes), link.path);
      expect(existsSync(file), file).toBe(true);
      if (link.from === null || link.to === null) return;
      const lines = readFileSync(file, 'utf8').split('\n');
      expect(link.to).toBeLessThanOrEqual(lines.length);
      const name = /^`([A-Za-z_]\w*)/.exec(link.label)?.[1];
      if (name === undefined) return;
      const span = lines
        .slice(link.from - 1, link.to)
        .join('\n')
        .toLowerCase();
      expect(span, `lines ${link.from}-${link.to} of ${link.path}`).toContain(name.toLowerCase());
    },
  );
});
