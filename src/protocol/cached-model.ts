/** What the cache reports of a model version; defined here, below the cache (cache/) and the page (client/) that both speak of it. */

/**
 * One cached model version, as `inpage.cache.list()` reports it.
 * @example
 * ```ts
 * for (const entry of await inpage.cache.list()) console.log(entry.id, entry.version, entry.bytes);
 * ```
 */
export interface CachedModelInfo {
  id: string;
  version: string;
  /** Sum of the version's file sizes (shared files counted in each version). */
  bytes: number;
  files: number;
  /** ISO date-time the version was cached. */
  cachedAt: string;
}
