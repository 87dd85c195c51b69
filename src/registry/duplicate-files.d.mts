// Types for duplicate-files.mjs (plain JS so the Node CLI can import it without a build step).
import type { Manifest } from './manifest-types.js';

/** One reason a manifest is invalid; `path` reads like `models.mnist.versions.1.0.0.files[0].sha256`. */
export interface ManifestProblem {
  path: string;
  message: string;
}

export function findDuplicateFiles(manifest: Manifest, problems: ManifestProblem[], limit: number): void;
