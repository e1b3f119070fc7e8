import { describe, expect, it } from 'vitest';
import { footerHints } from './components/Footer.js';
import { helpLines } from './components/HelpPanel.js';
import { BINDINGS, commandFor, RATE_STEP } from './keys.js';
import { initialState } from './state/state.js';

describe('commandFor', () => {
  it('maps the keys the footer shows', () => {
    expect(commandFor('p', {})).toEqual({ kind: 'pause' });
    expect(commandFor(' ', {})).toEqual({ kind: 'pause' });
    expect(commandFor('+', {})).toEqual({ kind: 'rate', factor: RATE_STEP });
    expect(commandFor('=', {})).toEqual({ kind: 'rate', factor: RATE_STEP });
    expect(commandFor('-', {})).toEqual({ kind: 'rate', factor: 1 / RATE_STEP });
    expect(commandFor('s', {})).toEqual({ kind: 'save' });
    expect(commandFor('q', {})).toEqual({ kind: 'quit' });
    expect(commandFor('c', { ctrl: true })).toEqual({ kind: 'quit' });
    expect(commandFor('?', {})).toEqual({ kind: 'help' });
    expect(commandFor('', { tab: true })).toEqual({ kind: 'focus', delta: 1 });
    expect(commandFor('', { tab: true, shift: true })).toEqual({ kind: 'focus', delta: -1 });
    expect(commandFor('4', {})).toEqual({ kind: 'zoom', panel: 'confusion' });
    expect(commandFor('0', {})).toEqual({ kind: 'zoom', panel: null });
    expect(commandFor('', { escape: true })).toEqual({ kind: 'zoom', panel: null });
    expect(commandFor('z', {})).toEqual({ kind: 'zoom', panel: 'focused' });
    expect(commandFor('n', {})).toEqual({ kind: 'page', delta: 1 });
    expect(commandFor('', { leftArrow: true })).toEqual({ kind: 'page', delta: -1 });
    expect(commandFor(']', {})).toEqual({ kind: 'smoothing', delta: 1 });
    expect(commandFor('m', {})).toEqual({ kind: 'misclassified' });
    expect(commandFor('x', {})).toEqual({ kind: 'stop' });
    expect(commandFor('7', {})).toBeNull();
    expect(commandFor('k', {})).toBeNull();
  });
  it('answers a question with y, n, s, esc or a second Ctrl-C', () => {
    expect(commandFor('y', {}, true)).toEqual({ kind: 'confirm', answer: 'yes' });
    expect(commandFor('c', { ctrl: true }, true)).toEqual({ kind: 'confirm', answer: 'yes' });
    expect(commandFor('n', {}, true)).toEqual({ kind: 'confirm', answer: 'no' });
    expect(commandFor('', { escape: true }, true)).toEqual({ kind: 'confirm', answer: 'no' });
    expect(commandFor('s', {}, true)).toEqual({ kind: 'confirm', answer: 'save' });
    expect(commandFor('p', {}, true)).toBeNull();
  });
});

describe('footer and help come from the same table', () => {
  it('shows every footer key on a wide terminal, quit first', () => {
    const hints = footerHints(initialState(), 200);
    expect(hints.map((h) => h.key)).toEqual(
      BINDINGS.filter((b) => b.footer !== undefined)
        .sort((a, b) => a.footer! - b.footer!)
        .map((b) => b.label),
    );
    expect(hints[0]!.key).toBe('q');
  });
  it('drops the least important hints on a narrow terminal and marks read-only keys', () => {
    expect(footerHints(initialState(), 30).length).toBeLessThan(5);
    const ro = { ...initialState(), control: { allowed: false, reason: '403' } };
    expect(footerHints(ro, 200).find((h) => h.key === 'p')).toMatchObject({
      readOnly: true,
      text: ' pause (read-only)',
    });
  });
  it('says resume while paused', () => {
    expect(
      footerHints({ ...initialState(), status: 'paused' }, 200).find((h) => h.key === 'p')?.text,
    ).toBe(' resume');
  });
  it('lists every key in the help', () => {
    const help = helpLines(200).join('\n');
    for (const b of BINDINGS) expect(help).toContain(b.help);
  });
});
