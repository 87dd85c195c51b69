/**
 * The voice card for everyone, with a microphone that hears a spoken sentence (espeak-ng, as in
 * demo-voice.spec.ts): started and stopped from the keyboard with a visible focus ring, the
 * timeline reachable by keyboard once it has speech, and no WCAG 2.2 A/AA violation found by
 * axe-core while it listens.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoWcagViolations, tabTo } from './helpers/a11y.js';
import { launchWith } from './helpers/chromium.js';
import { ensureSiteBuilt, openVoiceDemo } from './helpers/site.js';
import { speak, wavBytes, VAD_RATE } from './helpers/speech.js';

// The fake microphone's file must exist when the browser starts; a name of its own, as
// demo-voice.spec.ts may be writing its file in another worker.
const MIC_WAV = resolve('e2e/.artifacts/a11y-mic.wav');
mkdirSync('e2e/.artifacts', { recursive: true });
writeFileSync(MIC_WAV, wavBytes(speak('Is anyone there? I am speaking now.', { silence: 1 }).samples, VAD_RATE));

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await ensureSiteBuilt();
});

test.use({
  launchOptions: launchWith(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${MIC_WAV}`]),
});

test('start and stop listening with the keyboard, reach the timeline; axe finds no violation while listening', async ({ page }) => {
  test.setTimeout(120_000);
  await openVoiceDemo(page);
  const toggle = page.getByTestId('voice-toggle');
  const state = page.getByTestId('voice-state');
  const timeline = page.getByTestId('voice-segments');

  await tabTo(page, toggle);
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(state).toHaveText(/^Listening/);
  await expect(toggle).toBeFocused();
  await expect(page.locator('#voice-meter')).toHaveAttribute('aria-valuetext', /% speech$/);
  await expect(timeline.locator('li').first()).toBeVisible({ timeout: 30_000 });
  await expectNoWcagViolations(page, 'while listening, with speech on the timeline');

  // The timeline scrolls when long, so a keyboard must be able to reach it.
  await tabTo(page, timeline, 1);
  await page.keyboard.press('Shift+Tab');
  await expect(toggle).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(state).toHaveText('Not listening');
  await expect(toggle).toBeFocused();
});
