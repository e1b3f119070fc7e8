/**
 * The page in real headless Chromium against the real API: real MNIST test digits redrawn as
 * strokes on the pad and classified, a training job started from the page, keyboard-only use,
 * 360 px wide, both colour schemes, and no request leaving the server.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadMnistSplit } from '@mnist/net/data';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from './browser.js';
import { startApi, type TestServer } from './server.js';
import { strokesOf } from './strokes.js';

const DIGITS = 20;
const SCREENSHOT = new URL('../../../docs/web.png', import.meta.url).pathname;

let server: TestServer;
let browser: Browser;
let page: Page;
let goodModel: string;
const foreign: string[] = [];
const errors: string[] = [];
let test: Awaited<ReturnType<typeof loadMnistSplit>>;

async function waitJob(id: string): Promise<{ status: string; modelId: string | null }> {
  for (let i = 0; i < 3000; i++) {
    const j = (await (await server.api(`/v1/trainings/${id}`)).json()) as {
      status: string;
      modelId: string | null;
    };
    if (['completed', 'failed', 'cancelled', 'interrupted'].includes(j.status)) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

async function openPage(p: Page): Promise<void> {
  await p.goto(`${server.url}/`);
  await p.waitForFunction(
    () => (document.querySelector('#model') as HTMLSelectElement).options.length > 0,
  );
  await p.waitForFunction(() => document.body.dataset.model !== undefined);
}

/** The pad's version now, once the answer for it is shown; then the label shown. */
async function settledLabel(p: Page): Promise<string> {
  const version = await p.getAttribute('#pad', 'data-version');
  await p.waitForSelector(`#prediction[data-for="${version}"]`, { timeout: 60_000 });
  return (await p.getAttribute('#prediction', 'data-label')) ?? '';
}

/** Redraws test image j on the pad with the mouse: one short stroke per run of ink in a row. */
async function drawDigit(p: Page, j: number): Promise<void> {
  await p.click('#clear');
  const box = (await p.locator('#pad').boundingBox())!;
  const s = box.width / 28;
  for (const { x0, x1, y } of strokesOf(test.images.subarray(j * 784, (j + 1) * 784))) {
    await p.mouse.move(box.x + x0 * s, box.y + y * s);
    await p.mouse.down();
    await p.mouse.move(box.x + x1 * s, box.y + y * s);
    await p.mouse.up();
  }
}

const suite = chromiumPath ? describe : describe.skip;

suite('the page in headless Chromium', () => {
  beforeAll(async () => {
    test = await loadMnistSplit('test');
    server = await startApi();
    // A model worth asking: 784→64→10, Adam, 3 epochs (a few seconds to a minute on a busy machine).
    const job = (await (
      await server.api('/v1/trainings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'digits', config: { preset: 'fast', hidden: 64, epochs: 3 } }),
      })
    ).json()) as { id: string };
    const done = await waitJob(job.id);
    expect(done.status).toBe('completed');
    goodModel = done.modelId!;
    browser = await chromium.launch({
      executablePath: chromiumPath!,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await openPage(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the page with every asset from the server itself', async () => {
    expect(await page.title()).toContain('mnist-ts');
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.locator('#model option').count()).toBeGreaterThanOrEqual(1);
  });

  it(`classifies ${DIGITS} real MNIST test digits redrawn as strokes on the pad`, async () => {
    await page.selectOption('#model', goodModel);
    await page.waitForFunction((id) => document.body.dataset.model === id, goodModel);
    const rows: string[] = [];
    let right = 0;
    for (let j = 0; j < DIGITS; j++) {
      await drawDigit(page, j);
      const label = await settledLabel(page);
      const truth = String(test.labels[j]);
      if (label === truth) right++;
      rows.push(`${truth}→${label}${label === truth ? '' : ' ✗'}`);
      // The preview shows what the network received: some ink, centred.
      const inked = await page.evaluate(() => {
        const c = document.querySelector('#preview') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, 28, 28).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! > 0) n++;
        return n;
      });
      expect(inked).toBeGreaterThan(20);
    }
    console.log(`drawn MNIST test digits: ${right}/${DIGITS} right (${rows.join(', ')})`);
    expect(right).toBeGreaterThanOrEqual(16);
    // The ten bars are drawn and sum to about 1.
    const pcts = await page.locator('#bars .pct').allTextContents();
    expect(pcts).toHaveLength(10);
    expect(pcts.reduce((a, t) => a + Number.parseFloat(t), 0)).toBeCloseTo(100, 0);
  });

  it('shows the chosen model: its facts, confusion matrix and hidden units', async () => {
    // Two overlapping shows of the model (as when the list reloads while one is picked) draw it
    // once: the section is busy until the latest has drawn, and the earlier one draws nothing.
    await page.evaluate(() => {
      const select = document.querySelector('#model')!;
      select.dispatchEvent(new Event('change'));
      select.dispatchEvent(new Event('change'));
    });
    await page.waitForSelector('#models[aria-busy="false"]');
    await page.waitForSelector('#confusion tbody tr:nth-child(10)');
    const cells = await page.locator('#confusion tbody td').allTextContents();
    expect(cells).toHaveLength(100);
    expect(cells.reduce((a, t) => a + Number(t), 0)).toBe(10_000);
    expect(await page.locator('#units canvas').count()).toBe(64);
    expect(await page.locator('#model-info').textContent()).toContain('digits, version 1');
  });

  it('trains from the page (with the token), follows the job live, and selects its model', async () => {
    await page.fill('#token', server.token);
    await page.selectOption('#preset', 'fast');
    await page.fill('input[name=hidden]', '32');
    await page.fill('input[name=epochs]', '2');
    await page.fill('input[name=learningRate]', '0.005');
    await page.click('#start');
    await page.waitForSelector('#train-form[data-status="completed"]', { timeout: 240_000 });
    const status = (await page.textContent('#job-status'))!;
    const modelId = /model (mdl_\w+)/.exec(status)?.[1];
    expect(modelId).toBeDefined();
    await page.waitForFunction((id) => document.body.dataset.model === id, modelId);
    expect(await page.inputValue('#model')).toBe(modelId);
    expect(await page.textContent('#chart-summary')).toMatch(/^Step [\d,]+ of [\d,]+: loss/);
    expect(await page.locator('#model-info').textContent()).toContain('hidden units32');
  });

  it('takes the screenshot for the README (only with UPDATE_SCREENSHOT=1)', async () => {
    await page.selectOption('#model', goodModel);
    await page.waitForFunction((id) => document.body.dataset.model === id, goodModel);
    await drawDigit(page, 0);
    expect(await settledLabel(page)).toBe('7');
    if (process.env.UPDATE_SCREENSHOT !== '1') return;
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT, clip: { x: 0, y: 0, width: 1100, height: 700 } });
    console.log(`wrote ${SCREENSHOT}`);
  });

  it('pauses, changes α, resumes and cancels a job from the page', async () => {
    await page.selectOption('#preset', 'seed'); // full batch, 500 iterations: long enough to steer
    for (const f of ['hidden', 'epochs', 'learningRate']) await page.fill(`input[name=${f}]`, '');
    await page.click('#start');
    await page.waitForSelector('#train-form[data-status="running"]', { timeout: 120_000 });
    await page.click('#pause');
    await page.waitForSelector('#train-form[data-status="paused"]');
    await page.fill('#alpha', '0.05');
    await page.click('#set-alpha');
    await page.waitForFunction(
      () => (document.querySelector('#alpha') as HTMLInputElement).value === '',
    );
    await page.click('#resume');
    await page.waitForSelector('#train-form[data-status="running"]');
    await page.click('#cancel');
    await page.waitForSelector('#train-form[data-status="cancelled"]', { timeout: 60_000 });
    const job = await page.getAttribute('#train-form', 'data-job');
    const events = (await (await server.api(`/v1/trainings/${job}`)).json()) as { status: string };
    expect(events.status).toBe('cancelled');
    expect(await page.isHidden('#error')).toBe(true);
  });

  it('works with the keyboard alone', async () => {
    const p = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await openPage(p);
    await p.selectOption('#model', goodModel); // (set up; the rest is keys only)
    await p.waitForFunction((id) => document.body.dataset.model === id, goodModel);
    for (let i = 0; i < 12 && (await p.evaluate(() => document.activeElement?.id)) !== 'pad'; i++)
      await p.keyboard.press('Tab');
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('pad');
    // A vertical bar: up 8 steps, pen down, down 16 steps, pen up.
    for (let i = 0; i < 8; i++) await p.keyboard.press('ArrowUp');
    await p.keyboard.press('Space');
    for (let i = 0; i < 16; i++) await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Space');
    expect(await settledLabel(p)).toBe('1');
    expect(await p.getAttribute('#pad', 'aria-label')).toBe('Drawing pad, 1 stroke');
    expect(await p.textContent('#prediction')).toMatch(/^1\d/);
    await p.keyboard.press('Backspace'); // undo
    expect(await settledLabel(p)).toBe('');
    expect(await p.getAttribute('#pad', 'aria-label')).toBe('Drawing pad, empty');
    // Draw again, then Tab to Undo, Clear, and press Enter on Clear.
    await p.keyboard.press('Space');
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('Space');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('clear');
    await p.keyboard.press('Enter');
    expect(await p.getAttribute('#pad', 'data-strokes')).toBe('0');
    // The model picker answers to the arrow keys.
    await p.focus('#model');
    const before = await p.inputValue('#model');
    await p.keyboard.press(
      before === (await p.locator('#model option').first().getAttribute('value'))
        ? 'ArrowDown'
        : 'ArrowUp',
    );
    await p.waitForFunction((b) => document.body.dataset.model !== b, before);
    await p.close();
  });

  it('reads at 360 px wide and follows prefers-color-scheme, predicting the same either way', async () => {
    const p = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await openPage(p);
    await p.selectOption('#model', goodModel);
    await p.waitForFunction((id) => document.body.dataset.model === id, goodModel);
    // What sticks out past the viewport, named, so a failure says where to look.
    const overflow = await p.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .filter((e) => {
          // Inside a scrolling box (the confusion matrix's), sticking out is what scrolls.
          for (let a = e.parentElement; a !== null; a = a.parentElement)
            if (getComputedStyle(a).overflowX !== 'visible') return false;
          return true;
        })
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}#${e.id}.${e.className} right ${e.getBoundingClientRect().right}`,
        ),
    );
    expect(overflow).toEqual([]);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const labels: string[] = [];
    const backgrounds: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme });
      backgrounds.push(await p.evaluate(() => getComputedStyle(document.body).backgroundColor));
      await drawDigit(p, 0);
      labels.push(await settledLabel(p));
    }
    expect(backgrounds[0]).not.toBe(backgrounds[1]);
    // Dark ink on light in one, light ink on dark in the other: the same digit for the network.
    expect(labels[1]).toBe(labels[0]);
    await p.close();
  });

  it('asked nothing of any other host and logged no error', () => {
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
