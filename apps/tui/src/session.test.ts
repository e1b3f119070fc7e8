import { PRESETS } from '@mnist/net';
import { describe, expect, it } from 'vitest';
import { resumedArgs } from './session.js';
import { dumbTerminal } from './terminal.js';

describe('resumedArgs', () => {
  it('keeps the saved model’s config and lays the given flags over it', () => {
    const saved = { ...PRESETS.fast, hidden: 32, learningRate: 0.01, limit: 2000 };
    const a = resumedArgs(saved, { epochs: '3' });
    expect(a.config).toEqual({ ...saved, epochs: 3 });
    expect(resumedArgs(saved, { lr: '0.5' }).config.learningRate).toBe(0.5);
    expect(resumedArgs(saved, { 'learning-rate': '0.25' }).config.learningRate).toBe(0.25);
    expect(resumedArgs(saved, {}).out).toMatch(/models\/fast\.safetensors$/);
  });
  it('ignores fields a config no longer has, and refuses bad flags by name', () => {
    expect(resumedArgs({ ...PRESETS.seed, retired: 1 }, {}).config).toEqual(PRESETS.seed);
    expect(() => resumedArgs({ ...PRESETS.fast }, { epochs: '-1' })).toThrow(/^--epochs: /);
  });
});

describe('dumbTerminal', () => {
  it('is true where the cursor cannot be moved: TERM dumb, unknown or missing', () => {
    expect(dumbTerminal({ TERM: 'dumb' }, 'linux')).toBe(true);
    expect(dumbTerminal({ TERM: 'unknown' }, 'linux')).toBe(true);
    expect(dumbTerminal({}, 'linux')).toBe(true);
    expect(dumbTerminal({ TERM: 'xterm-256color' }, 'linux')).toBe(false);
    expect(dumbTerminal({ TERM: 'tmux-256color' }, 'darwin')).toBe(false);
    expect(dumbTerminal({}, 'win32')).toBe(false);
  });
});
