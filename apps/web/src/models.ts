/**
 * The model picker and what the chosen model is: name, version, accuracy, when; its confusion
 * matrix on the test set (`GET /v1/models/{id}/evaluation`); and its hidden units, the rows of W1
 * drawn as 28×28 images from the safetensors weights (`GET /v1/models/{id}/weights`).
 */
import { SIDE } from '@mnist/net/image';
import { decodeSafetensors } from '@mnist/net/safetensors';
import { type Evaluation, getBytes, getJson, type ModelInfo } from './api.js';
import { byId, cssVar, el, percent } from './dom.js';

/** Most hidden units drawn (a wide model has 128 or more). */
const MAX_UNITS = 64;

export const describeModel = (m: ModelInfo): string =>
  `${m.name} v${m.version} · ${m.hidden} hidden · ${m.testAccuracy === null ? 'accuracy unknown' : `${percent(m.testAccuracy, 2)} test`}`;

export class ModelsView {
  private readonly select = byId('model', HTMLSelectElement);
  private readonly info = byId('model-info', HTMLDListElement);
  private readonly confusion = byId('confusion', HTMLTableElement);
  private readonly units = byId('units', HTMLUListElement);
  private readonly section = byId('models', HTMLElement);
  private models: ModelInfo[] = [];
  /** Counts `show()` calls: only the latest one draws, however their fetches interleave. */
  private shows = 0;

  constructor(
    private readonly onSelect: (m: ModelInfo | null) => void,
    private readonly onError: (e: unknown) => void,
  ) {
    this.select.addEventListener('change', () => void this.show());
  }

  get current(): ModelInfo | null {
    return this.models.find((m) => m.id === this.select.value) ?? null;
  }

  /** Reloads the list; selects `id` if given, else keeps the selection (or the newest). */
  async refresh(id?: string): Promise<void> {
    const keep = id ?? this.select.value;
    this.models = (await getJson<{ models: ModelInfo[] }>('/v1/models?limit=100')).models;
    this.select.replaceChildren(
      ...this.models.map((m) =>
        el(
          'option',
          { value: m.id },
          `${describeModel(m)} · ${new Date(m.createdAt).toLocaleString()}`,
        ),
      ),
    );
    if (!this.models.length)
      this.select.append(el('option', { value: '' }, 'no model yet: train one below'));
    if (this.models.some((m) => m.id === keep)) this.select.value = keep;
    await this.show();
  }

  /**
   * Shows the selected model. Two calls can overlap (the list reloads while a model is picked):
   * each is numbered, and one that is no longer the latest when its fetches return draws
   * nothing. `aria-busy` on the section is true until the latest call has drawn.
   */
  private async show(): Promise<void> {
    const ticket = ++this.shows;
    const m = this.current;
    this.onSelect(m);
    this.info.replaceChildren();
    this.confusion.replaceChildren();
    this.units.replaceChildren();
    if (!m) {
      this.section.setAttribute('aria-busy', 'false');
      return;
    }
    this.section.setAttribute('aria-busy', 'true');
    const rows: [string, string][] = [
      ['name', `${m.name}, version ${m.version}`],
      ['id', m.id],
      ['hidden units', String(m.hidden)],
      ['test accuracy', m.testAccuracy === null ? 'unknown' : percent(m.testAccuracy, 2)],
      ['from', m.source === 'training' ? 'a training job' : 'an upload'],
      ['when', new Date(m.createdAt).toLocaleString()],
    ];
    for (const [k, v] of rows) this.info.append(el('dt', {}, k), el('dd', {}, v));
    try {
      const [evaluation, weights] = await Promise.all([
        getJson<Evaluation>(`/v1/models/${m.id}/evaluation`),
        getBytes(`/v1/models/${m.id}/weights`),
      ]);
      if (ticket !== this.shows) return; // a later call draws instead
      this.drawConfusion(evaluation);
      this.drawUnits(
        decodeSafetensors(weights, 'weights').tensors.W1?.data ?? new Float32Array(0),
        m.hidden,
      );
    } catch (e) {
      if (ticket === this.shows) this.onError(e);
    } finally {
      if (ticket === this.shows) this.section.setAttribute('aria-busy', 'false');
    }
  }

  private drawConfusion(e: Evaluation): void {
    const caption = el(
      'caption',
      {},
      `Rows: true digit; columns: predicted. ${percent(e.accuracy, 2)} of ${e.count.toLocaleString('en')} right.`,
    );
    const head = el('tr', {}, '');
    head.append(el('th', { scope: 'col' }, 'true \\ predicted'));
    for (let p = 0; p < 10; p++) head.append(el('th', { scope: 'col' }, String(p)));
    const body = e.confusion.map((row, t) => {
      const tr = el('tr');
      tr.append(el('th', { scope: 'row' }, String(t)));
      const total = row.reduce((a, b) => a + b, 0) || 1;
      row.forEach((n, p) => {
        const td = el('td', {}, String(n));
        const share = n / total;
        const rgb = cssVar(t === p ? '--neg' : '--pos');
        if (n)
          td.style.background = `rgba(${rgb}, ${Math.min(0.85, 0.1 + share * (t === p ? 0.7 : 4))})`;
        tr.append(td);
      });
      return tr;
    });
    this.confusion.replaceChildren(caption, el('thead'), el('tbody'));
    this.confusion.tHead!.append(head);
    this.confusion.tBodies[0]!.append(...body);
  }

  private drawUnits(W1: Float32Array, hidden: number): void {
    const pos = cssVar('--pos') || '220, 80, 30';
    const neg = cssVar('--neg') || '30, 100, 220';
    const [pr, pg, pb] = pos.split(',').map(Number);
    const [nr, ng, nb] = neg.split(',').map(Number);
    const shown = Math.min(hidden, MAX_UNITS, W1.length / (SIDE * SIDE));
    const items: HTMLLIElement[] = [];
    for (let h = 0; h < shown; h++) {
      const row = W1.subarray(h * SIDE * SIDE, (h + 1) * SIDE * SIDE);
      const scale = row.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-12);
      const c = el('canvas', {
        width: String(SIDE),
        height: String(SIDE),
        role: 'img',
        'aria-label': `hidden unit ${h + 1}`,
      });
      const ctx = c.getContext('2d')!;
      const img = ctx.createImageData(SIDE, SIDE);
      for (let i = 0; i < row.length; i++) {
        const v = row[i]! / scale;
        const [r, g, b] = v >= 0 ? [pr!, pg!, pb!] : [nr!, ng!, nb!];
        img.data.set([r, g, b, Math.round(Math.abs(v) * 255)], i * 4);
      }
      ctx.putImageData(img, 0, 0);
      const li = el('li');
      li.append(c);
      items.push(li);
    }
    if (hidden > shown)
      items.push(el('li', { class: 'help' }, `… the first ${shown} of ${hidden} units.`));
    this.units.replaceChildren(...items);
  }
}
