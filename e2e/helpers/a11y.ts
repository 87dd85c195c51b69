/**
 * Accessibility checks for the demo specs: WCAG 2.2 A/AA with axe-core on the page as it stands,
 * and keyboard travel that proves each focus stop is visible. Failures list what broke and
 * where, so a report says what to fix without a rerun.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { openVoiceDemo } from './site.js';

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe tags its rules (2.2 added AA rules only). */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Violations = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'];

/** Readable lines for axe's violations: rule, impact, then each failing element and why. */
function describeViolations(violations: Violations): string[] {
  return violations.flatMap((violation) => [
    `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}`,
    ...violation.nodes.map((node) => `  ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
  ]);
}

/** Fails the test, listing the violations, when the page breaks any WCAG 2.2 A/AA rule `state`. */
export async function expectNoWcagViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA_TAGS).analyze();
  expect(describeViolations(results.violations), `WCAG 2.2 A/AA violations ${state}`).toEqual([]);
}

/** The focused element, and whether it shows a focus ring: :focus-visible with a real outline. */
function focusStop(): { name: string; visible: boolean } {
  const element = document.activeElement;
  if (!(element instanceof HTMLElement) || element === document.body) return { name: 'body', visible: false };
  const style = getComputedStyle(element);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const name = element.id ? `#${element.id}` : `${element.tagName.toLowerCase()} "${element.textContent?.trim().slice(0, 30) ?? ''}"`;
  return { name, visible: element.matches(':focus-visible') && ring };
}

/**
 * Presses Tab until `target` has focus, as a keyboard user would reach it, checking that every
 * stop on the way shows its focus ring. Fails when `target` is not reached in `maxStops` presses.
 */
export async function tabTo(page: Page, target: Locator, maxStops = 40): Promise<void> {
  const path: string[] = [];
  for (let stop = 0; stop < maxStops; stop++) {
    await page.keyboard.press('Tab');
    const { name, visible } = await page.evaluate(focusStop);
    path.push(name);
    expect(visible, `focus ring on ${name} (path: ${path.join(' → ')})`).toBe(true);
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`Tab never reached the target; focus went ${path.join(' → ')}`);
}

/** The built demo on the test CDN, once all three models are ready. */
export async function openReadyDemo(page: Page): Promise<void> {
  await openVoiceDemo(page);
  const rows = page.locator('li.model');
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
}

/** A vertical stroke down the middle of the pad with the mouse: a "1", then its prediction. */
export async function drawOne(page: Page): Promise<void> {
  const box = await page.getByTestId('digit-canvas').boundingBox();
  if (!box) throw new Error('the digit canvas is not visible');
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 12 });
  await page.mouse.up();
  await expect(page.getByTestId('digit-prediction')).not.toHaveText('');
}
