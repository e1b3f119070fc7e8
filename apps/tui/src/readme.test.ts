import { readFileSync } from 'node:fs';
import { TRAIN_FLAGS } from '@mnist/net/cli';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_FLAGS } from './args.js';
import { BINDINGS } from './keys.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every key of the footer’s table', () => {
    for (const b of BINDINGS)
      for (const key of b.label.split('/'))
        expect(readme, b.label).toContain(`\`${key === '1-6' ? '1`–`6' : key}`);
  });
  it('documents every dashboard flag and names the shared training flags', () => {
    for (const flag of Object.keys(DASHBOARD_FLAGS).filter((f) => f !== 'help'))
      expect(readme).toContain(`\`--${flag}`);
    for (const flag of Object.keys(TRAIN_FLAGS).filter(
      (f) => !['learning-rate', 'kernel', 'threads'].includes(f),
    ))
      expect(readme).toContain(`\`--${flag}\``);
  });
});
