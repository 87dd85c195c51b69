/**
 * The voice card for everyone when the microphone is refused: the refusal is reported in words
 * (role="alert"), the keyboard user keeps their place, and axe-core finds no WCAG 2.2 A/AA
 * violation in that state.
 */
import { expect, test } from '@playwright/test';
import { expectNoWcagViolations, tabTo } from './helpers/a11y.js';
import { launchWith } from './helpers/chromium.js';
import { ensureSiteBuilt, openVoiceDemo } from './helpers/site.js';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await ensureSiteBuilt();
});

test.use({ launchOptions: launchWith(['--use-fake-device-for-media-stream', '--deny-permission-prompts']) });

test('a refused microphone is said in an alert, focus stays on the button, and axe finds no violation', async ({ page }) => {
  test.setTimeout(120_000);
  await openVoiceDemo(page);
  const toggle = page.getByTestId('voice-toggle');
  await tabTo(page, toggle);
  await page.keyboard.press('Enter');
  const error = page.getByRole('alert').filter({ hasText: /refused/i });
  await expect(error).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('voice-state')).toHaveText('Not listening');
  await expect(toggle).toBeFocused();
  await expectNoWcagViolations(page, 'after the microphone was refused');
});
