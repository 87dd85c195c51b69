/**
 * The cache's small index: which model versions are fully cached and which content hashes they
 * use. Pure functions over plain data so the dedupe/delete logic is testable without a browser.
 * The index is read back from storage, so it is validated, never trusted.
 */

/** One file of a cached model version, by content hash. */
export interface IndexedFile {
  sha256: string;
  bytes: number;
}

/** One fully cached model version. */
export interface IndexedModel {
  id: string;
  version: string;
  files: IndexedFile[];
  /** ISO date-time the version was recorded. */
  cachedAt: string;
}

export interface CacheIndex {
  v: 1;
  models: IndexedModel[];
}

export const SHA256_RE = /^[0-9a-f]{64}$/;

export function emptyIndex(): CacheIndex {
  return { v: 1, models: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFile(value: unknown): IndexedFile | null {
  if (!isRecord(value)) return null;
  const { sha256, bytes } = value;
  if (typeof sha256 !== 'string' || !SHA256_RE.test(sha256)) return null;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0) return null;
  return { sha256, bytes };
}

function readModel(value: unknown): IndexedModel | null {
  if (!isRecord(value)) return null;
  const { id, version, files, cachedAt } = value;
  if (typeof id !== 'string' || typeof version !== 'string' || typeof cachedAt !== 'string') return null;
  if (!Array.isArray(files)) return null;
  const parsed: IndexedFile[] = [];
  for (const f of files) {
    const file = readFile(f);
    if (!file) return null;
    parsed.push(file);
  }
  return { id, version, files: parsed, cachedAt };
}

/**
 * Parses a stored index. Malformed entries are dropped (their files become unreferenced and are
 * freed by the next delete/clear) rather than making the whole cache unusable.
 */
export function parseIndex(value: unknown): CacheIndex {
  if (!isRecord(value) || value.v !== 1 || !Array.isArray(value.models)) return emptyIndex();
  const models: IndexedModel[] = [];
  for (const m of value.models) {
    const model = readModel(m);
    if (model) models.push(model);
  }
  return { v: 1, models };
}

/** Adds or replaces the entry for `model.id@model.version`. */
export function withModel(index: CacheIndex, model: IndexedModel): CacheIndex {
  const others = index.models.filter((m) => !(m.id === model.id && m.version === model.version));
  return { v: 1, models: [...others, model] };
}

/** The outcome of {@link withoutModels}: the new index and the files no remaining entry uses. */
export interface Removal {
  index: CacheIndex;
  removed: IndexedModel[];
  /** Unreferenced files, each hash once. */
  orphans: IndexedFile[];
}

/** Removes `id` (every version, or just `version`) and reports which files became unreferenced. */
export function withoutModels(index: CacheIndex, id: string, version?: string): Removal {
  const hit = (m: IndexedModel): boolean => m.id === id && (version === undefined || m.version === version);
  const removed = index.models.filter(hit);
  const kept = index.models.filter((m) => !hit(m));
  const next: CacheIndex = { v: 1, models: kept };
  return {
    index: next,
    removed,
    orphans: unreferenced(
      next,
      removed.flatMap((m) => m.files),
    ),
  };
}

/** The files of `candidates` that no entry of `index` uses, each hash once. */
export function unreferenced(index: CacheIndex, candidates: readonly IndexedFile[]): IndexedFile[] {
  const used = new Set(index.models.flatMap((m) => m.files.map((f) => f.sha256)));
  const found = new Map<string, IndexedFile>();
  for (const file of candidates) if (!used.has(file.sha256)) found.set(file.sha256, file);
  return [...found.values()];
}
