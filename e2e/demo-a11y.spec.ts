/**
 * The demo (built site/) for everyone: no WCAG 2.2 A/AA violation found by axe-core in any state
 * a visitor reaches without a microphone (the listening and refused states are
 * demo-a11y-voice*.spec.ts: launch flags are per file), every control used with the keyboard
 * alone and a visible focus ring, results announced politely, and no sliding with reduced motion.
 */
import { expect, test } from '@playwright/test';
import { drawOne, expectNoWcagViolations, openReadyDemo, tabTo } from './helpers/a11y.js';
import { ensureSiteBuilt } from './helpers/site.js';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await ensureSiteBuilt();
});

test('axe finds no WCAG 2.2 A/AA violation at first, after drawing, after typing, or with a dark-scheme preference', async ({ page }) => {
  test.setTimeout(120_000);
  await openReadyDemo(page);
  await expectNoWcagViolations(page, 'when the models are ready');
  await drawOne(page);
  await expectNoWcagViolations(page, 'after drawing a digit');
  await page.getByTestId('sentiment-input').fill('The staff were lovely and the food came fast.');
  await expect(page.getByTestId('sentiment-label')).toHaveText(/positive/i);
  await expectNoWcagViolations(page, 'after typing a sentence');
  // The page has a single, light, scheme; a visitor's dark preference must not break it.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoWcagViolations(page, 'with prefers-color-scheme: dark');
});

test('axe finds no WCAG 2.2 A/AA violation on a phone (390 × 844, touch), and the page reflows at 320 px', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    await openReadyDemo(page);
    await expectNoWcagViolations(page, 'on a phone');
    await page.getByTestId('sentiment-input').fill('Cold food and a rude waiter.');
    await expect(page.getByTestId('sentiment-label')).toHaveText(/negative/i);
    await expectNoWcagViolations(page, 'on a phone, after typing');
    // Reflow (1.4.10): at 320 CSS pixels, what a 1280-pixel window shows at 400 % zoom, nothing scrolls sideways.
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'pixels of sideways scrolling at 320 px').toBeLessThanOrEqual(0);
  } finally {
    await context.close();
  }
});

test('with the keyboard alone: clear the pad, type, pick an example, delete the models, each with a visible focus ring', async ({ page }) => {
  test.setTimeout(120_000);
  await openReadyDemo(page);
  await drawOne(page);

  await tabTo(page, page.getByTestId('digit-clear'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('digit-prediction')).toHaveText('');
  await expect(page.locator('#digit-confidence')).toHaveText('Draw a digit on the pad');

  await tabTo(page, page.getByTestId('sentiment-input'));
  await page.keyboard.type('What a lovely little app', { delay: 5 });
  await expect(page.getByTestId('sentiment-label')).toHaveText(/positive/i);

  const example = page.locator('#sentiment-examples button', { hasText: 'Cold food and a rude waiter.' });
  await tabTo(page, example);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('sentiment-input')).toHaveValue('Cold food and a rude waiter.');
  await expect(page.getByTestId('sentiment-input')).toBeFocused();
  await expect(page.getByTestId('sentiment-label')).toHaveText(/negative/i);

  const remove = page.getByRole('button', { name: 'Delete downloaded models' });
  await tabTo(page, remove);
  await page.keyboard.press('Enter');
  await expect(page.locator('#cache-note')).toHaveText(/^(Deleted|Nothing to delete)/);
  // The button is busy for a moment; the keyboard user must not be dropped back to the page's start.
  await expect(remove).toBeFocused();
});

test('the pad says what it is for, and the digit, the verdict and the speech state are announced politely', async ({ page }) => {
  test.setTimeout(120_000);
  await openReadyDemo(page);
  const pad = page.getByTestId('digit-canvas');
  await expect(pad).toHaveAccessibleName(/draw.*digit/i);
  await expect(pad).toHaveAccessibleDescription(/prediction/i);

  const announcements = ['#digit-announce', '#sentiment-verdict', '#voice-state'].map((selector) => page.locator(selector));
  for (const region of announcements) await expect(region).toHaveAttribute('aria-live', 'polite');
  const [digit, verdict, speech] = announcements;
  await drawOne(page);
  await expect(digit).toHaveText(/^Looks like a \d, \d+% sure\.$/);
  await page.getByTestId('sentiment-input').fill('A boring film, far too long.');
  await expect(verdict).toContainText(/Negative\s+\d+% confident/);
  await expect(speech).toHaveText('Not listening');
});

/** Transition and animation of the elements that move when a value changes. */
function motion(): Record<string, string> {
  const moving = ['.voice-meter-fill', '.bar-fill', '.meter-fill', '.button', '.chip'];
  const styles: Record<string, string> = {};
  for (const selector of moving) {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`${selector} is missing`);
    const style = getComputedStyle(element);
    styles[selector] = `${style.transitionDuration} ${style.animationName}`;
  }
  // getComputedStyle cannot read the progress bar's value part (a prefixed pseudo-element), so
  // read the cascade instead: the last rule for it that sets a transition, in media that apply now.
  const rules = (list: CSSRuleList): CSSStyleRule[] =>
    Array.from(list).flatMap((rule) =>
      rule instanceof CSSMediaRule
        ? matchMedia(rule.conditionText).matches
          ? rules(rule.cssRules)
          : []
        : rule instanceof CSSStyleRule
          ? [rule]
          : [],
    );
  const progressValue = Array.from(document.styleSheets)
    .flatMap((sheet) => rules(sheet.cssRules))
    .filter((rule) => rule.selectorText.includes('::-webkit-progress-value') && rule.style.transitionDuration !== '');
  styles['progress value'] = progressValue.at(-1)?.style.transitionDuration ?? 'no rule';
  return styles;
}

test('prefers-reduced-motion stops the meters, bars and progress from sliding', async ({ page }) => {
  await openReadyDemo(page);
  const moving = await page.evaluate(motion);
  expect(
    Object.values(moving).some((value) => !value.startsWith('0s')),
    JSON.stringify(moving),
  ).toBe(true);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const still = await page.evaluate(motion);
  for (const [selector, value] of Object.entries(still)) expect(value, selector).toMatch(/^0s( none)?$/);
});
