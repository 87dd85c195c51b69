// Accuracy and expected calibration error of a classifier's outputs, computed the same way for every model and
// version: softmax over the output row (a no-op for log-probabilities; a baked-in temperature is already applied).

/** Row-wise softmax of `n` × `classes` scores (logits or log-probabilities) into a new Float64Array. */
export function softmaxRows(scores, classes) {
  const probs = new Float64Array(scores.length);
  for (let r = 0; r < scores.length; r += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, scores[r + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += probs[r + c] = Math.exp(scores[r + c] - max);
    for (let c = 0; c < classes; c++) probs[r + c] /= sum;
  }
  return probs;
}

/** For each row of `probs`: the predicted class (the most probable) and its probability (the confidence). */
export function topClass(probs, classes) {
  const n = probs.length / classes;
  const label = new Int32Array(n);
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    label[i] = best;
    confidence[i] = probs[i * classes + best];
  }
  return { label, confidence };
}

/**
 * Expected calibration error: the rows are put in `bins` equal-width bins of the top-class confidence,
 * (0, 1/bins], (1/bins, 2/bins], ... (a confidence of exactly 0 goes to the first), and
 * ECE = sum over bins of (rows in bin / all rows) * |accuracy in bin - mean confidence in bin|.
 */
export function expectedCalibrationError(confidence, correct, bins = 15) {
  const count = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const conf = new Float64Array(bins);
  for (let i = 0; i < confidence.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(confidence[i] * bins) - 1));
    count[b] += 1;
    hits[b] += correct[i] ? 1 : 0;
    conf[b] += confidence[i];
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += Math.abs(hits[b] - conf[b]) / confidence.length;
  return ece;
}

/** { n, accuracy, ece } of class probabilities `probs` (n × classes) against integer `labels`. */
export function scorePredictions(probs, labels, classes) {
  const { label, confidence } = topClass(probs, classes);
  const correct = Array.from(label, (l, i) => l === labels[i]);
  const hits = correct.filter(Boolean).length;
  return { n: labels.length, accuracy: hits / labels.length, ece: expectedCalibrationError(confidence, correct) };
}
