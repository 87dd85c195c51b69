// One onnxruntime-node session per shipped model version, opened the way the SDK opens it (the card's
// runtime.graphOptimization, when it names one) on the CPU with two threads.
import path from 'node:path';
import * as ort from 'onnxruntime-node';

/** The session of the version's registry file with role "model". */
export function openSession({ dir, entry, id, version }) {
  const file = entry.files.find((f) => f.role === 'model');
  if (!file) throw new Error(`${id} ${version}: no file with role "model"`);
  const options = { executionProviders: ['cpu'], intraOpNumThreads: 2, interOpNumThreads: 1 };
  const level = entry.runtime?.graphOptimization;
  if (level) options.graphOptimizationLevel = level;
  // registry paths are relative to the models folder, two levels above the version's folder <id>/<version>
  return ort.InferenceSession.create(path.join(dir, '..', '..', file.path), options);
}

export { ort };
