import type { DownloadProgress, InpageWarning as RegistryWarning } from '../registry/load-model-files.js';

export type { DownloadProgress };

/**
 * A recoverable problem: the work went on, but you may want to know (and tell the user).
 * @example
 * ```ts
 * inpage.addEventListener('warning', (event) => console.warn(event.detail.code, event.detail.message));
 * ```
 */
export type InpageWarning =
  | RegistryWarning
  | { code: 'WORKER_UNAVAILABLE'; message: string; details?: Record<string, unknown> };
