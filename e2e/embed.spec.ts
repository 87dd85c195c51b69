/**
 * The <script> embed with both models, plain and under a strict Content-Security-Policy
 * (no unsafe-eval; wasm-unsafe-eval allowed; worker-src 'self'), in a worker and in-thread.
 */
import { expect, test, type Page } from '@playwright/test';
import { registryUrl, realModelsAvailable, PAGE_PORT } from './helpers/registries';

interface EmbedRun {
  backend: { name: string };
  inWorker: boolean;
  digit: { label: number; probabilities: number[] };
  sentiments: { label: string; score: number }[];
  violations: string[];
}

function models(): { registry: string; digits: string; text: string | null } {
  return realModelsAvailable()
    ? { registry: registryUrl('cdn'), digits: 'mnist', text: 'sentiment' }
    : { registry: registryUrl('fixtures'), digits: 'tiny-digits', text: null };
}

async function runEmbed(page: Page, path: string, worker: boolean): Promise<EmbedRun> {
  const outside: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).hostname !== '127.0.0.1') outside.push(request.url());
  });
  const response = await page.goto(path);
  expect(response?.ok()).toBe(true);
  const result = await page.evaluate((args) => (window as unknown as { runModels: (a: unknown) => Promise<EmbedRun> }).runModels(args), {
    ...models(),
    worker,
  });
  expect(outside, 'no request leaves 127.0.0.1').toEqual([]);
  return result;
}

function checkPredictions(run: EmbedRun): void {
  expect(run.backend.name).toBe('wasm');
  expect(run.digit.probabilities).toHaveLength(10);
  if (realModelsAvailable()) {
    expect(run.digit.label).toBe(1);
    expect(run.sentiments.map((s) => s.label)).toEqual(['positive', 'negative']);
  }
}

for (const worker of [true, false]) {
  const where = worker ? 'in a worker' : 'in-thread';

  test(`the plain <script> embed predicts with both models ${where}`, async ({ page }) => {
    const run = await runEmbed(page, '/e2e/fixtures/embed/models.html', worker);
    expect(run.inWorker).toBe(worker);
    checkPredictions(run);
  });

  test(`the <script> embed works under a strict CSP ${where}, with no violation`, async ({ page, request }) => {
    const response = await request.get(`http://127.0.0.1:${PAGE_PORT}/e2e/fixtures/embed/models.html?csp=strict`);
    const policy = response.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).not.toMatch(/(^|\s)'unsafe-eval'/);
    expect(policy).toContain("worker-src 'self'");
    const before = (await (await request.get(`http://127.0.0.1:${PAGE_PORT}/__csp-reports`)).json()) as unknown[];

    const run = await runEmbed(page, '/e2e/fixtures/embed/models.html?csp=strict', worker);
    expect(run.inWorker).toBe(worker);
    checkPredictions(run);
    expect(run.violations).toEqual([]);
    const after = (await (await request.get(`http://127.0.0.1:${PAGE_PORT}/__csp-reports`)).json()) as unknown[];
    expect(after.length - before.length, 'CSP reports sent to report-uri').toBe(0);
  });
}
