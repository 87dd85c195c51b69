/**
 * What crosses the engine boundary for a task. The page turns what it has (a canvas, a string,
 * tensors) into a {@link TaskInput} of one of a few media kinds, whose buffers are transferred;
 * the engine answers with a {@link TaskOutput} tagged by task.
 *
 * The task types are an open table: each task file adds its own entry to {@link TaskTypes}
 * (TypeScript declaration merging), so adding a task never edits this file.
 */
import type { TensorMap } from './tensor-types.js';

/** RGBA pixels, as in ImageData. */
export interface ImageTaskInput {
  kind: 'image';
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Already pre-processed model input (e.g. 784 floats in MNIST framing, before normalisation). */
export interface FloatsTaskInput {
  kind: 'floats';
  data: Float32Array;
}

export interface TextsTaskInput {
  kind: 'texts';
  texts: string[];
}

/** Named tensors for `run()` and the tensor task, checked in the engine against the model's inputs. */
export interface TensorsTaskInput {
  kind: 'tensors';
  feeds: TensorMap;
}

/**
 * Audio for a stream whose recurrent state lives in the engine, or a one-off clip. Pushes of one
 * stream run in the order they were sent (one queue per model).
 */
export interface AudioTaskInput {
  kind: 'audio';
  /** The stream's id, made by the page. */
  stream: string;
  samples: Float32Array;
  /** Sample rate of `samples`; the engine resamples to the model's. */
  sampleRate: number;
  /**
   * `push` continues the stream; `once` runs a clip on a fresh state and forgets it; `reset`
   * drops the state (the next push starts afresh); `close` drops it for good.
   */
  op: 'push' | 'once' | 'reset' | 'close';
  /** Seconds the page has pushed before these samples: where a state made afresh (after a worker crash) starts its clock. */
  offset: number;
  /** Whether the page pushed to this stream before: a stream the engine does not know then was lost, and says so. */
  continues: boolean;
}

export type TaskInput = ImageTaskInput | FloatsTaskInput | TextsTaskInput | TensorsTaskInput | AudioTaskInput;

/**
 * One entry per task, added by the task's own file:
 * `declare module '../protocol/task-io.js' { interface TaskTypes { digits: { ... } } }`.
 * `wire` is what the engine sends back for one request, `result` what predict() resolves with, and
 * `predict` the model's predict() signature.
 * @example
 * ```ts
 * type DigitsResult = TaskTypes['digits']['result'];   // { label, probabilities }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- each task file adds its entry by declaration merging
export interface TaskTypes {}

/**
 * Every task name, as the task files declare them.
 * @example
 * ```ts
 * const task: TaskName = 'image-classification';
 * const model = await inpage.load('text-direction', { task });
 * ```
 */
export type TaskName = Extract<keyof TaskTypes, string>;

/** A task's answer to one request, tagged with its task so the page side can narrow it without a cast. */
export type TaskOutput = { [K in TaskName]: { task: K; result: TaskTypes[K] extends { wire: infer W } ? W : never } }[TaskName];
