/**
 * The demo's voice card with a microphone, in Chromium: a fake microphone plays speech made by
 * espeak-ng between silences (--use-file-for-fake-audio-capture), the listen button shows the
 * speech segments at the spoken times, and stopping releases the microphone. (Refused
 * permission is demo-voice-denied.spec.ts: launch flags are per file.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { launchWith } from './helpers/chromium.js';
import { ensureSiteBuilt, openVoiceDemo } from './helpers/site.js';
import { speak, wavBytes, VAD_RATE } from './helpers/speech.js';

// The fake microphone's file must exist when the browser starts: written as this file loads.
const speech = speak('Turn on the radio in the living room please.', { voice: 'en', speed: 150, silence: 1.5 });
const WAV = resolve('e2e/.artifacts/voice-mic.wav');
mkdirSync('e2e/.artifacts', { recursive: true });
writeFileSync(WAV, wavBytes(speech.samples, VAD_RATE));
const LOOP_SECONDS = speech.samples.length / VAD_RATE;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await ensureSiteBuilt();
});

test.use({
  launchOptions: {
    ...launchWith(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${WAV}`]),
  },
});

test('the listen button shows speech segments at the spoken times, and stop releases the microphone', async ({ page }) => {
  test.setTimeout(120_000);
  // Keep a hand on every stream the page opens, to see that stop() ends its tracks.
  await page.addInitScript(() => {
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    const opened: MediaStream[] = [];
    Object.assign(window, { openedStreams: opened });
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await open(constraints);
      opened.push(stream);
      return stream;
    };
  });
  await openVoiceDemo(page);
  await page.getByTestId('voice-toggle').click();
  await expect(page.getByTestId('voice-toggle')).toHaveAttribute('aria-pressed', 'true');
  // Opening the microphone and the audio worklet can take a while on a loaded machine.
  await expect(page.getByTestId('voice-state')).toContainText('Listening', { timeout: 60_000 });
  // A whole spoken stretch: the segment gets its end once the silence after it is heard.
  const finished = page.locator('[data-testid="voice-segments"] li[data-end]');
  await expect(finished.first()).toBeVisible({ timeout: 40_000 });
  const segment = await finished.last().evaluate((li) => ({ start: Number(li.dataset.start), end: Number(li.dataset.end) }));
  // The fake microphone plays the file in a loop from when capture starts: the first segment
  // is the first spoken stretch of the file. The stream itself is held to 0.25 s on recorded
  // audio (voice-activity.spec.ts); here the browser's capture start adds its own jitter.
  expect(Math.abs(segment.start - speech.speechStart)).toBeLessThan(0.5);
  expect(Math.abs(segment.end - speech.speechEnd)).toBeLessThan(0.5);
  expect(segment.end - segment.start).toBeLessThan(LOOP_SECONDS);
  const meter = await page.locator('#voice-meter').getAttribute('aria-valuenow');
  expect(Number(meter)).toBeGreaterThanOrEqual(0);

  await page.getByTestId('voice-toggle').click();
  await expect(page.getByTestId('voice-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('voice-state')).toHaveText('Not listening');
  // The microphone track was stopped: nothing the page opened is still capturing.
  const tracks = await page.evaluate(() =>
    (window as unknown as { openedStreams: MediaStream[] }).openedStreams.flatMap((stream) => stream.getTracks().map((track) => track.readyState)),
  );
  expect(tracks.length).toBeGreaterThan(0);
  expect(tracks.every((state) => state === 'ended')).toBe(true);
  await expect(page.locator('#voice-error')).toBeHidden();
});
