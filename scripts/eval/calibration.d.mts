// Types for calibration.mjs (used by test/unit/calibration.test.ts).
type Numbers = ArrayLike<number>;
export declare function softmaxRows(scores: Numbers, classes: number): Float64Array;
export declare function topClass(probs: Numbers, classes: number): { label: Int32Array; confidence: Float64Array };
export declare function expectedCalibrationError(confidence: Numbers, correct: ArrayLike<boolean>, bins?: number): number;
export declare function scorePredictions(probs: Numbers, labels: Numbers, classes: number): { n: number; accuracy: number; ece: number };
