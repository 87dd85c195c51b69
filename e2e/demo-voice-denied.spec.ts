/**
 * The demo's voice card when the microphone permission is refused: the card says so in words,
 * nothing is left listening, and the other cards keep working.
 */
import { expect, test } from '@playwright/test';
import { launchWith } from './helpers/chromium.js';
import { ensureSiteBuilt, openVoiceDemo } from './helpers/site.js';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await ensureSiteBuilt();
});

test.use({ launchOptions: launchWith(['--use-fake-device-for-media-stream', '--deny-permission-prompts']) });

test('the card says the microphone was refused, and the rest of the page keeps working', async ({ page }) => {
  test.setTimeout(120_000);
  await openVoiceDemo(page);
  await page.getByTestId('voice-toggle').click();
  await expect(page.getByTestId('voice-error')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('voice-error')).toContainText(/refused/i);
  await expect(page.getByTestId('voice-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('voice-state')).toHaveText('Not listening');
  // The other cards still work.
  await page.getByTestId('sentiment-input').fill('What a lovely, friendly place.');
  await expect(page.getByTestId('sentiment-label')).toHaveText(/positive/i, { timeout: 30_000 });
});
