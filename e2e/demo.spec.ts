/**
 * The demo site (site/, built by scripts/build-demo.mjs), as a visitor uses it: drawing digits
 * with the mouse, typing sentences, reading the status, going offline. Served by the config's
 * page server (repo root) and CDN; the page is pointed at the CDN with ?registry=.
 *
 * Local knobs (defaults in brackets): INPAGE_DEMO_REGISTRY [CDN registry.json],
 * INPAGE_DEMO_DIGITS [mnist], INPAGE_DEMO_SENTIMENT [sentiment]. Tests that need a model the
 * registry lacks are skipped, saying so.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { defaultVersion } from '../src/registry/version-order.mjs';
import { stylesOf, type DigitStyle } from './fixtures/digit-strokes';
import { ensureSiteBuilt } from './helpers/site.js';

const PAGE_PORT = Number(process.env.INPAGE_PAGE_PORT ?? 4173);
const CDN_PORT = Number(process.env.INPAGE_CDN_PORT ?? 4174);
const REGISTRY = process.env.INPAGE_DEMO_REGISTRY ?? `http://127.0.0.1:${CDN_PORT}/models/registry.json`;
const DIGITS = process.env.INPAGE_DEMO_DIGITS ?? 'mnist';
const SENTIMENT = process.env.INPAGE_DEMO_SENTIMENT ?? 'sentiment';
const ARTIFACTS = 'e2e/.artifacts';
const DEMO_URL = `/site/index.html?${new URLSearchParams({ registry: REGISTRY, digits: DIGITS, sentiment: SENTIMENT })}`;

let versions: Record<string, string> = {};

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await ensureSiteBuilt();
  const registryUrl = new URL(REGISTRY, `http://127.0.0.1:${PAGE_PORT}/`);
  const manifest = (await (await fetch(registryUrl)).json()) as {
    models: Record<string, { versions: Record<string, unknown> }>;
  };
  versions = Object.fromEntries(Object.entries(manifest.models).map(([id, model]) => [id, defaultVersion(Object.keys(model.versions)) ?? '']));
});

let outside: string[] = [];

/** Every request of the page, its worker and its service worker must stay on 127.0.0.1. */
function watchRequests(context: BrowserContext): void {
  context.on('request', (request) => {
    const url = new URL(request.url());
    if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:') && url.hostname !== '127.0.0.1') {
      outside.push(request.url());
    }
  });
}

test.beforeEach(async ({ context }) => {
  outside = [];
  watchRequests(context);
});

test.afterEach(() => {
  expect(outside, 'requests that left 127.0.0.1').toEqual([]);
});

/** The demo's models that the registry has (the others show a friendly error). */
const available = (): string[] => [DIGITS, SENTIMENT].filter((id) => versions[id]);

const modelRow = (page: Page, id: string) => page.locator('li.model', { has: page.locator(`[data-model="${id}"]`) });

async function openDemo(page: Page, { wait = available() }: { wait?: string[] } = {}): Promise<void> {
  await page.goto(DEMO_URL);
  for (const id of wait) await expect(modelRow(page, id)).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
}

/** Clears the pad, draws the strokes with the mouse, and waits for the prediction of the final picture. */
async function draw(page: Page, style: DigitStyle): Promise<{ label: string; confidence: string }> {
  await page.getByTestId('digit-clear').click();
  const canvas = page.getByTestId('digit-canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the digit canvas is not visible');
  const at = ([x, y]: readonly [number, number]): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  for (const stroke of style.strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    await page.mouse.move(...at(first));
    await page.mouse.down();
    for (const point of rest) await page.mouse.move(...at(point), { steps: 2 });
    await page.mouse.up();
  }
  await page.waitForFunction(() => {
    const pad = document.querySelector<HTMLCanvasElement>('[data-testid="digit-canvas"]');
    return pad !== null && pad.dataset.ink === pad.dataset.shown;
  });
  return {
    label: (await page.getByTestId('digit-prediction').textContent()) ?? '',
    confidence: (await page.locator('#digit-confidence').textContent()) ?? '',
  };
}

async function typeSentence(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('sentiment-input');
  await input.fill('');
  await input.pressSequentially(text, { delay: 5 });
}

test('before drawing, the pad shows a hint, not an error; Escape on the pad and Clear empty it', async ({ page }) => {
  test.skip(!versions[DIGITS], `${DIGITS} is not in the registry yet`);
  await openDemo(page, { wait: [DIGITS] });
  await expect(page.locator('#pad-hint')).toBeVisible();
  await expect(page.getByTestId('digit-prediction')).toHaveText('');
  await expect(page.locator('#digits-error')).toBeHidden();
  // A dot too small to be a digit is not an error either.
  await draw(page, { digit: -1, style: 'dot', strokes: [[[0.5, 0.5]]] });
  await expect(page.locator('#digits-error')).toBeHidden();

  const seven = stylesOf(7)[0];
  await draw(page, seven);
  await expect(page.getByTestId('digit-prediction')).toHaveText(/^\d$/);
  await page.getByTestId('digit-canvas').focus();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('digit-prediction')).toHaveText('');
  await expect(page.locator('#pad-hint')).toBeVisible();

  await draw(page, seven);
  await page.getByTestId('digit-clear').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('digit-prediction')).toHaveText('');
});

test('a finger draws too: touch strokes are pointer events on the pad', async ({ browser }) => {
  test.skip(!versions[DIGITS], `${DIGITS} is not in the registry yet`);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  watchRequests(context);
  const page = await context.newPage();
  try {
    await openDemo(page, { wait: [DIGITS] });
    const canvas = page.getByTestId('digit-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const cdp = await context.newCDPSession(page);
    const seven = stylesOf(7)[0];
    for (const stroke of seven.strokes) {
      const touch = ([x, y]: readonly [number, number]) => [{ x: box.x + x * box.width, y: box.y + y * box.height }];
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: touch(stroke[0]) });
      for (const point of stroke.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: touch(point) });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    }
    await page.waitForFunction(() => {
      const pad = document.querySelector<HTMLCanvasElement>('[data-testid="digit-canvas"]');
      return pad !== null && pad.dataset.ink === pad.dataset.shown;
    });
    await expect(page.getByTestId('digit-prediction')).toHaveText(DIGITS === 'mnist' ? '7' : /^\d$/);
    // The page did not scroll under the finger (touch-action: none).
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid="digit-canvas"]')!).touchAction)).toBe('none');
  } finally {
    await context.close();
  }
});

// One test per digit: each draws every writing style of that digit with the mouse (four or more).
for (let digit = 0; digit <= 9; digit++) {
  test(`${digit}, drawn with the mouse in each of its ${stylesOf(digit).length} writing styles, is recognised`, async ({ page }, testInfo) => {
    test.skip(!versions[DIGITS], `${DIGITS} is not in the registry yet`);
    test.setTimeout(180_000);
    expect(stylesOf(digit).length).toBeGreaterThanOrEqual(4);
    await openDemo(page, { wait: [DIGITS] });
    const results: string[] = [];
    const misread: string[] = [];
    for (const style of stylesOf(digit)) {
      const { label, confidence } = await draw(page, style);
      const ok = label === String(style.digit);
      results.push(`${ok ? 'ok  ' : 'MISS'} ${style.style.padEnd(34)} → ${label} (${confidence})`);
      if (!ok) misread.push(`${style.style} → ${label} (${confidence})`);
    }
    console.log(`digit ${digit} styles (${DIGITS}):\n${results.join('\n')}`);
    await testInfo.attach(`digit-${digit}-styles.txt`, { body: results.join('\n'), contentType: 'text/plain' });
    // Every style counts: no style is excused as a known weakness of the model.
    expect(misread, 'styles read as another digit').toEqual([]);
  });
}

test('the sentiment verdict follows typing, and the examples work', async ({ page }) => {
  test.skip(!versions[SENTIMENT], `${SENTIMENT} is not in the registry yet`);
  await openDemo(page, { wait: [SENTIMENT] });
  const label = page.getByTestId('sentiment-label');
  const score = page.getByTestId('sentiment-score');

  await typeSentence(page, 'I absolutely love this phone, the camera is wonderful and the battery lasts for days.');
  await expect(label).toHaveText(/positive/i);
  await expect(score).toHaveText(/^\d{1,3}% confident$/);

  await typeSentence(page, 'Terrible service, the food was cold and the waiter was rude. Never again.');
  await expect(label).toHaveText(/negative/i);

  await page.getByTestId('sentiment-input').fill('');
  await expect(label).toHaveText('Start typing');

  const examples = page.locator('#sentiment-examples button');
  expect(await examples.count()).toBeGreaterThanOrEqual(4);
  await examples.first().click();
  await expect(label).toHaveText(/positive|negative/i);
});

test('the status says which backend runs and why, how the downloads went, and the versions', async ({ page }) => {
  test.skip(!versions[DIGITS], `${DIGITS} is not in the registry yet`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openDemo(page);
  const backend = page.getByTestId('backend');
  await expect(backend.locator('.backend-name')).toHaveText('wasm');
  await expect(backend.locator('.backend-reason')).toHaveText(/\w+.{20,}/);
  await expect(backend).toContainText(/WebGPU|WASM/);
  for (const id of available()) {
    // "1.2 MB / 1.2 MB": the download reached its total.
    await expect(page.locator(`[data-testid="model-progress"][data-model="${id}"]`)).toHaveText(/^([\d.]+ k?M?B) \/ \1\b/);
    await expect(modelRow(page, id).locator('.model-facts')).toContainText(`v${versions[id]}`);
    await expect(modelRow(page, id).locator('.model-facts')).toContainText(/ready in [\d.]+ m?s/);
  }
  await expect(page.getByText('never leave it')).toBeVisible();

  // A digit and a sentence, then the screenshots a visitor would see.
  const three = stylesOf(3)[0];
  await draw(page, three);
  await typeSentence(page, 'The pasta was fresh and the staff were lovely.');
  if (versions[SENTIMENT]) await expect(page.getByTestId('sentiment-label')).toHaveText(/positive/i);
  await expect(modelRow(page, DIGITS).locator('.model-facts')).toContainText('last answer in');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/demo.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await draw(page, three);
  await page.screenshot({ path: `${ARTIFACTS}/demo-phone.png`, fullPage: true });

  // Deleting the downloaded models says what happens next.
  await page.locator('#cache-clear').click();
  await expect(page.locator('#cache-note')).toContainText(/reloading the page downloads them again/i);
});

test('after one visit, the page and its models work offline', async ({ page, context }) => {
  test.skip(!versions[DIGITS], `${DIGITS} is not in the registry yet`);
  test.setTimeout(120_000);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('inpage warning')) warnings.push(message.text());
  });
  await openDemo(page);
  // 'partial': the page is stored, but a model the registry lacks is not.
  const stored = available().length === 2 ? 'ready' : 'partial';
  await expect(page.locator('#offline-note')).toHaveAttribute('data-state', stored, { timeout: 60_000 });

  await context.setOffline(true);
  await page.reload();
  for (const id of available()) {
    await expect(modelRow(page, id)).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(page.locator(`[data-testid="model-progress"][data-model="${id}"]`), `warnings: ${warnings.join(' | ')}`).toContainText(
      'stored on this device',
    );
  }
  const { label } = await draw(page, stylesOf(7)[0]);
  // The fixture models have random weights: any digit; the real one must read the 7.
  expect(label).toMatch(DIGITS === 'mnist' ? /^7$/ : /^\d$/);
  if (versions[SENTIMENT]) {
    await typeSentence(page, 'What a wonderful, friendly little restaurant.');
    await expect(page.getByTestId('sentiment-label')).toHaveText(/positive/i);
    await expect(page.locator('.card-error:visible')).toHaveCount(0);
  }
  // The voice card's model comes back from the cache too: its listen button is offered.
  await expect(page.getByTestId('voice-toggle')).toBeEnabled({ timeout: 60_000 });
  await context.setOffline(false);
});

test('the footer links the API reference, built into the site by TypeDoc', async ({ page }) => {
  await page.goto(DEMO_URL);
  await page.locator('#api-link').click();
  await expect(page).toHaveURL(/\/site\/api\/(index\.html)?$/);
  await expect(page).toHaveTitle(/inpage API/);
  // The entry point, and one of the tasks' result types with its example.
  await expect(page.getByRole('link', { name: 'create', exact: true }).first()).toBeVisible();
  await page.goto('/site/api/interfaces/ImageClassification.html');
  await expect(page.locator('h4', { hasText: 'Example' }).first()).toBeVisible();
});
