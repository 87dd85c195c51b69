/**
 * What a load tells the page besides its result: progress, and recoverable problems. Defined here,
 * at the bottom of the graph, for the download code (registry/) that raises them, the engine that
 * relays them and the page that hears them.
 */

/**
 * One progress report. `total` is known before the first byte (from the manifest).
 * @example
 * ```ts
 * await inpage.load('sentiment', { onProgress: (p: DownloadProgress) => (bar.value = p.loaded / p.total) });
 * ```
 */
export interface DownloadProgress {
  /** Bytes of all the model's files obtained so far (cache hits count). Falls back only if a server forces a restart. */
  loaded: number;
  /** Sum of every file's size for this model version. */
  total: number;
  /** Path of the file this report is about, as in the manifest. */
  file: string;
  fileLoaded: number;
  fileTotal: number;
  /** True when this file came from the offline cache. */
  fromCache: boolean;
  id: string;
  version: string;
}

/** A problem the download code met that did not stop the load (the model still loads). */
export interface DownloadWarning {
  code: 'CACHE_UNAVAILABLE' | 'QUOTA' | 'CACHE_WRITE_FAILED' | 'RETRY' | 'MIRROR_FAILED' | 'MANIFEST_FROM_CACHE';
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A recoverable problem: the work went on, but you may want to know (and tell the user).
 * @example
 * ```ts
 * inpage.addEventListener('warning', (event) => console.warn(event.detail.code, event.detail.message));
 * ```
 */
export type InpageWarning = DownloadWarning | { code: 'WORKER_UNAVAILABLE'; message: string; details?: Record<string, unknown> };
