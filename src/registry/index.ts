/** The model registry: manifest validation, version resolution, verified downloads. */
export { loadModelFiles } from './load-model-files.js';
export type { DownloadProgress, InpageWarning, LoadedModelFiles, ModelFilesRequest } from './load-model-files.js';
export { validateManifest, parseManifestText } from './manifest-schema.js';
export { resolveModel, parseModelSpec } from './resolve-model.js';
export type { ResolvedModel } from './resolve-model.js';
export { compareSemver, parseSemver, parseRange, satisfies } from './semver.js';
export type { SemVer, SemverRange } from './semver.js';
export * from './manifest-types.js';
