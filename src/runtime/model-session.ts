/**
 * A thin, ORT-free view of an inference session, so the tasks can be tested with
 * onnxruntime-node and run unchanged on onnxruntime-web.
 */
export type FeedTensor =
  | { type: 'float32'; data: Float32Array; dims: number[] }
  | { type: 'int64'; data: BigInt64Array; dims: number[] };

export interface OutputTensor {
  data: ArrayLike<number>;
  dims: readonly number[];
}

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, FeedTensor>): Promise<Record<string, OutputTensor>>;
  release(): Promise<void>;
}
