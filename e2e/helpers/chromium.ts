/**
 * The browser the tests run: INPAGE_CHROMIUM if set, else Debian's /usr/bin/chromium where it
 * exists, else Playwright's own (after `npx playwright install chromium` on a normal machine).
 * Shared by playwright.config.ts and the specs that launch with extra flags (a fake microphone).
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

export const executablePath = process.env.INPAGE_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const BASE_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // WebGPU is on so that `auto` meets (and must decline) a software adapter here.
  '--enable-unsafe-webgpu',
];

/** Launch options with `extra` flags after the usual ones. */
export function launchWith(extra: string[] = []): LaunchOptions {
  return { ...(executablePath ? { executablePath } : {}), args: [...BASE_ARGS, ...extra] };
}
