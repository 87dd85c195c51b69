import { defineConfig } from '@playwright/test';
import { launchWith } from './e2e/helpers/chromium';

export const PAGE_PORT = Number(process.env.INPAGE_PAGE_PORT ?? 4173);
export const CDN_PORT = Number(process.env.INPAGE_CDN_PORT ?? 4174);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PAGE_PORT}`,
    trace: 'off',
    launchOptions: launchWith(),
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
