/** The built demo site (site/) for the specs that use it as a visitor would. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { CDN_PORT } from './registries.js';

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Builds site/ when it is missing or older than the demo or the built SDK it bundles. dist/
 * itself is never rebuilt here: other specs use it at the same time (npm test builds it first).
 */
export async function ensureSiteBuilt(): Promise<void> {
  // Specs run in parallel workers: one builds, the others wait for it (mkdir is atomic).
  const lock = 'e2e/.artifacts/site-build.lock';
  mkdirSync('e2e/.artifacts', { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((wake) => setTimeout(wake, 250));
    }
  }
  try {
    const built = mtime('site/index.html');
    const sources = Math.max(await newestMtime('demo'), mtime('dist/index.js'));
    if (built === 0 || built < sources) {
      execFileSync(process.execPath, ['scripts/build-demo.mjs', '--no-sdk-build'], { stdio: 'inherit' });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The built demo on the test CDN's registry, once its voice card is ready to listen. */
export async function openVoiceDemo(page: Page): Promise<void> {
  const registry = `http://127.0.0.1:${CDN_PORT}/models/registry.json`;
  await page.goto(`/site/index.html?${new URLSearchParams({ registry })}`);
  await expect(page.getByTestId('voice-toggle')).toBeEnabled({ timeout: 60_000 });
}
