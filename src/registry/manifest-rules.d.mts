// Types for manifest-rules.mjs (plain JS so the Node CLI can import it without a build step).
import type { Manifest } from './manifest-types.js';
import type { ManifestProblem } from './duplicate-files.mjs';

export type { ManifestProblem };
export const SEMVER_PATTERN: string;
export const MANIFEST_JSON_SCHEMA: Readonly<Record<string, unknown>>;
export function findManifestProblems(value: unknown, limit?: number): ManifestProblem[];
export function isManifest(value: unknown): value is Manifest;
