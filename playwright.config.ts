import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Chromium: INPAGE_CHROMIUM if set, else Debian's /usr/bin/chromium where it exists, else
 * Playwright's own browser (after `npx playwright install chromium` on a normal machine).
 */
const executablePath = process.env.INPAGE_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const PAGE_PORT = Number(process.env.INPAGE_PAGE_PORT ?? 4173);
export const CDN_PORT = Number(process.env.INPAGE_CDN_PORT ?? 4174);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PAGE_PORT}`,
    trace: 'off',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // WebGPU is on so that `auto` meets (and must decline) a software adapter here.
        '--enable-unsafe-webgpu',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: [
    {
      command: 'node e2e/servers/page-server.mjs',
      url: `http://127.0.0.1:${PAGE_PORT}/package.json`,
      reuseExistingServer: !process.env.CI,
      env: { INPAGE_PAGE_PORT: String(PAGE_PORT), INPAGE_CDN_PORT: String(CDN_PORT) },
    },
    {
      command: `node scripts/cdn-server.mjs --port ${CDN_PORT}`,
      url: `http://127.0.0.1:${CDN_PORT}/models/registry.json`,
      reuseExistingServer: !process.env.CI,
    },
  ],
});
