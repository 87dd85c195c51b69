// Types for onnx-signature.mjs (plain JS so the Node CLI can import it without a build step).
import type { TensorSpec } from './manifest-types.js';

export class OnnxFormatError extends Error {}
export function readOnnxSignature(bytes: Uint8Array): { inputs: TensorSpec[]; outputs: TensorSpec[] };
