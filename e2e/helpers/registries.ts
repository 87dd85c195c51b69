import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const PAGE_PORT = Number(process.env.INPAGE_PAGE_PORT ?? 4173);
export const CDN_PORT = Number(process.env.INPAGE_CDN_PORT ?? 4174);

/**
 * `cdn`: the shipped models on the CDN server, a different origin from the page (CORS is real).
 * `fixtures`: the tiny seeded test model, served by the page server.
 */
export function registryUrl(which: 'cdn' | 'fixtures'): string {
  return which === 'cdn' ? `http://127.0.0.1:${CDN_PORT}/models/registry.json` : `http://127.0.0.1:${PAGE_PORT}/e2e/fixtures/models/registry.json`;
}

/** True once the shipped models are in public/models/registry.json. */
export function realModelsAvailable(): boolean {
  const file = join(root, 'public/models/registry.json');
  if (!existsSync(file)) return false;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { models?: Record<string, unknown> };
  return Boolean(manifest.models?.mnist && manifest.models?.sentiment);
}
