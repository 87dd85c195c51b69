// Types for shipped-models.mjs (used by the unit tests).
import type { ModelVersion } from '../src/registry/manifest-types.js';

export declare const MODELS_DIR: string;
export declare function shippedModel(id: string, modelsDir?: string): { id: string; version: string; dir: string; entry: ModelVersion };
