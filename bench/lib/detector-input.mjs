// The detector's input, made the same way in the page and in Node (native onnxruntime): a 640x640
// "scanned page" (white, with dark bars where lines of text would be) as PaddleOCR's detector takes
// it, float32 [1, 3, 640, 640], ImageNet-normalised, BGR planes. Deterministic, so every runtime
// sees the very same numbers; the convolutions cost the same whatever the pixels.
export const DETECTOR_SIZE = 640;
export const DETECTOR_DIMS = [1, 3, DETECTOR_SIZE, DETECTOR_SIZE];

const MEAN = [0.485, 0.456, 0.406]; // R, G, B
const STD = [0.229, 0.224, 0.225];

export function detectorInput(size = DETECTOR_SIZE) {
  const data = new Float32Array(3 * size * size);
  const plane = size * size;
  for (let y = 0; y < size; y++) {
    // Lines of "text" 18 px high every 40 px, words 20-90 px long with gaps between.
    const inLine = y % 40 >= 11 && y % 40 < 29;
    for (let x = 0; x < size; x++) {
      const word = (x * 7 + Math.floor(y / 40) * 13) % 110;
      const ink = inLine && x > 24 && x < size - 24 && word < 90 && word > 20;
      const value = ink ? 0.12 : 0.96;
      // BGR planes: plane 0 holds blue, normalised with blue's mean and deviation.
      for (let c = 0; c < 3; c++) data[c * plane + y * size + x] = (value - MEAN[2 - c]) / STD[2 - c];
    }
  }
  return data;
}
