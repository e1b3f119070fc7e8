/**
 * The page against a server started with `--token` and `--auth-reads` (every read needs the
 * token): until the token is given the page says why nothing loads; once it is, the models load
 * and a training job started from the page is followed live, its event stream carrying the token
 * (EventSource could not send it), to its model.
 */
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from './browser.js';
import { startApi, type TestServer } from './server.js';

let server: TestServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

const suite = chromiumPath ? describe : describe.skip;

suite('the page with a server that requires the token for reads', () => {
  beforeAll(async () => {
    server = await startApi('reads-token', ['--auth-reads']);
    browser = await chromium.launch({
      executablePath: chromiumPath!,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the server refuses an event stream without the token', async () => {
    const res = await fetch(`${server.url}/v1/trainings/none/events`);
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it('says why the models do not load until the token is given, then loads them', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toMatch(
      /^GET \/v1\/models\?limit=100: .*needs Authorization: Bearer <token>/,
    );
    await page.fill('#token', server.token);
    await page.press('#token', 'Tab'); // the input's change event
    await page.waitForSelector('#error', { state: 'hidden' });
  });

  it('trains from the page and follows the job live with the token, to its model', async () => {
    await page.selectOption('#preset', 'fast');
    await page.fill('input[name=hidden]', '16');
    await page.fill('input[name=epochs]', '2');
    await page.click('#start');
    await page.waitForSelector('#train-form[data-status="completed"]', { timeout: 240_000 });
    const modelId = /model (mdl_\w+)/.exec((await page.textContent('#job-status'))!)?.[1];
    expect(modelId).toBeDefined();
    // The chart has the stream's progress events, and the new model is the one chosen.
    expect(await page.textContent('#chart-summary')).toMatch(/^Step [\d,]+ of [\d,]+: loss/);
    await page.waitForFunction((id) => document.body.dataset.model === id, modelId);
    expect(errors).toEqual([]);
  });

  it('chooses the model of a job that ended before its event stream opened', async () => {
    // The stream request is held until the job has completed: the page learns of the end from
    // the stream's first event (the snapshot), as after a reconnect, and acts on it all the same.
    let held = '';
    await page.route('**/v1/trainings/*/events', async (route) => {
      held = /trainings\/([^/]+)\/events/.exec(route.request().url())![1]!;
      for (let i = 0; i < 2400; i++) {
        const job = (await (await server.api(`/v1/trainings/${held}`)).json()) as {
          status: string;
        };
        if (job.status !== 'queued' && job.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await route.continue();
    });
    await page.fill('input[name=hidden]', '8');
    await page.fill('input[name=epochs]', '1');
    const before = await page.getAttribute('#train-form', 'data-job');
    await page.click('#start');
    await page.waitForFunction(
      (previous) => {
        const form = document.querySelector<HTMLFormElement>('#train-form')!;
        return form.dataset.job !== previous && form.dataset.status === 'completed';
      },
      before,
      { timeout: 240_000 },
    );
    await page.unrouteAll();
    const job = (await (await server.api(`/v1/trainings/${held}`)).json()) as { modelId: string };
    expect(await page.textContent('#job-status')).toContain(`model ${job.modelId}`);
    await page.waitForFunction((id) => document.body.dataset.model === id, job.modelId);
    expect(await page.textContent('#chart-summary')).toMatch(/^Step [\d,]+ of [\d,]+: loss/);
    expect(errors).toEqual([]);
  });
});
