// Types for manifest-rules.mjs (plain JS so the Node CLI can import it without a build step).
import type { Manifest } from './manifest-types.js';

/** One reason a manifest is invalid; `path` reads like `models.mnist.versions.1.0.0.files[0].sha256`. */
export interface ManifestProblem {
  path: string;
  message: string;
}

export const SEMVER_PATTERN: string;
export const MODEL_ID_PATTERN: string;
export const MANIFEST_JSON_SCHEMA: Readonly<Record<string, unknown>>;
export function findManifestProblems(value: unknown, limit?: number): ManifestProblem[];
export function isManifest(value: unknown): value is Manifest;
/** Validation that awaits `pause()` every `sliceMs` (default 8) between model entries. */
export function validateManifestInSlices(
  value: unknown,
  options: { limit?: number; sliceMs?: number; pause: () => Promise<void> },
): Promise<{ manifest: Manifest; problems: [] } | { manifest: null; problems: ManifestProblem[] }>;
