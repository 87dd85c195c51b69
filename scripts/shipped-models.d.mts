// Types for shipped-models.mjs (used by the unit tests).
import type { ModelVersion } from '../src/registry/manifest-types.js';

export interface ShippedModel {
  id: string;
  version: string;
  dir: string;
  entry: ModelVersion;
}
export declare const MODELS_DIR: string;
export declare function shippedVersions(id: string, modelsDir?: string): ShippedModel[];
export declare function shippedModel(id: string, modelsDir?: string): ShippedModel;
