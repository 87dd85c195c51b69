/**
 * One load's view of the cache: whether it is still worth writing to, and each problem warned
 * once. Storage trouble never fails a load; it becomes a warning and the model loads uncached.
 * Owns: one load's "still writable" flag and the warnings it has given.
 */
import { InpageError } from '../errors.js';
import type { ModelCache } from '../cache/model-cache.js';
import type { VerifiedBytes } from '../cache/sha256.js';
import type { DownloadWarning } from '../protocol/events.js';
import type { ManifestFile } from './manifest-types.js';

export /** Tracks whether the cache is still worth writing to, warning once per problem. */
class CacheWriter {
  writable: boolean;
  private warned = new Set<string>();

  constructor(
    readonly cache: ModelCache | null,
    private readonly warn: (w: DownloadWarning) => void,
  ) {
    this.writable = cache !== null;
  }

  warnOnce(warning: DownloadWarning): void {
    if (this.warned.has(warning.code)) return;
    this.warned.add(warning.code);
    this.warn(warning);
  }

  async match(file: ManifestFile): Promise<Uint8Array | null> {
    if (!this.cache) return null;
    try {
      const bytes = await this.cache.match(file.sha256);
      // match() re-verifies the hash; the size check guards a ModelCache that does not.
      return bytes?.byteLength === file.bytes ? bytes : null;
    } catch (error) {
      this.writable = false;
      this.warnOnce({ code: 'CACHE_UNAVAILABLE', message: `Cache read failed; loading from the network: ${String(error)}` });
      return null;
    }
  }

  async put(file: ManifestFile, verified: VerifiedBytes): Promise<boolean> {
    if (!this.cache || !this.writable) return false;
    try {
      await this.cache.put(verified);
      return true;
    } catch (error) {
      this.writable = false; // one failure (full disk) predicts the next: stop trying
      const quota = error instanceof InpageError && error.code === 'QUOTA';
      this.warnOnce({
        code: quota ? 'QUOTA' : 'CACHE_WRITE_FAILED',
        message: `${file.path} was not cached: ${error instanceof Error ? error.message : String(error)}`,
        details: { file: file.path },
      });
      return false;
    }
  }
}
