/**
 * The voice card for everyone, with a microphone: started and stopped from the keyboard with a
 * visible focus ring, the state announced, and no WCAG 2.2 A/AA violation found by axe-core
 * while it listens. Chromium's own fake microphone (a beep) is enough: this is about the page,
 * not about hearing speech (demo-voice.spec.ts).
 */
import { expect, test } from '@playwright/test';
import { expectNoWcagViolations, tabTo } from './helpers/a11y.js';
import { launchWith } from './helpers/chromium.js';
import { ensureSiteBuilt, openVoiceDemo } from './helpers/site.js';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await ensureSiteBuilt();
});

test.use({ launchOptions: launchWith(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']) });

test('start and stop listening with the keyboard; axe finds no violation while listening', async ({ page }) => {
  test.setTimeout(120_000);
  await openVoiceDemo(page);
  const toggle = page.getByTestId('voice-toggle');
  const state = page.getByTestId('voice-state');

  await tabTo(page, toggle);
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(state).toHaveText(/^Listening/);
  await expect(toggle).toBeFocused();
  // Frames are arriving: the meter has a value a screen reader can read.
  await expect(page.locator('#voice-meter')).toHaveAttribute('aria-valuetext', /% speech$/);
  await expectNoWcagViolations(page, 'while listening');

  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(state).toHaveText('Not listening');
  await expect(toggle).toBeFocused();
});
