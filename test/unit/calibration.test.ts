// Accuracy and expected calibration error as npm run eval:models computes them (scripts/eval/calibration.mjs).
import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, scorePredictions, softmaxRows } from '../../scripts/eval/calibration.mjs';

describe('calibration figures', () => {
  it('softmax gives the same probabilities for logits and for log-probabilities', () => {
    const logits = [2, 0, -1, 3];
    const probs = softmaxRows(logits, 2);
    const again = softmaxRows(Array.from(probs, Math.log), 2);
    probs.forEach((p, i) => {
      expect(again[i]).toBeCloseTo(p, 12);
    });
    expect(probs[0] + probs[1]).toBeCloseTo(1, 12);
    expect(probs[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
  });

  it('is the bin-weighted gap between accuracy and mean confidence over 15 equal-width bins', () => {
    // bin (0.8, 0.8667]: 0.85, 0.85 with one hit -> |0.5 - 0.85| * 2/4; bin (0.9333, 1]: 0.95, 1.0, both hits -> |1 - 0.975| * 2/4
    expect(expectedCalibrationError([0.85, 0.85, 0.95, 1.0], [true, false, true, true])).toBeCloseTo(0.35 / 2 + 0.025 / 2, 12);
    // perfectly calibrated within one bin
    expect(expectedCalibrationError([0.75, 0.75, 0.75, 0.75], [true, true, true, false])).toBeCloseTo(0, 12);
    // confidence 1 falls in the last bin, 0 in the first
    expect(expectedCalibrationError([1, 0], [true, true])).toBeCloseTo(0.5, 12);
  });

  it('scores class probabilities against labels', () => {
    const probs = [0.9, 0.1, 0.2, 0.8, 0.6, 0.4];
    const { n, accuracy, ece } = scorePredictions(probs, [0, 1, 1], 2);
    expect(n).toBe(3);
    expect(accuracy).toBeCloseTo(2 / 3, 12);
    expect(ece).toBeCloseTo((0.1 + 0.2 + 0.6) / 3, 12);
  });
});
