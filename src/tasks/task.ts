/**
 * What a task is: one module under src/tasks/ that says what a registry entry of the task must
 * hold, what the page hands over (main thread), how requests become a batch and outputs become
 * results (engine), and its warm-up input. The table in task-table.ts lists them; the manifest
 * schema, the CLI's --task list, the README table and the types of `load()` derive from it.
 */
import { InpageError } from '../errors.js';
import type { PreprocessSchema } from '../protocol/preprocess.js';
import type { FileRole, ModelVersion, TensorSpec } from '../registry/manifest-types.js';
import type { ModelSession } from '../runtime/model-session.js';
import type { TaskInput, TaskName, TaskOutput, TaskTypes } from '../protocol/task-io.js';

/** A validated, pre-processed request, ready to join a batch: each task's runner adds its own fields. */
export interface PreparedRequest {
  rows: number;
}

/**
 * One task's pre- and post-processing around a run, in the engine. `R` is what its prepare()
 * makes; the engine only ever hands a runner back requests that runner prepared.
 */
export interface TaskRunner<R extends PreparedRequest = PreparedRequest, Out = unknown> {
  prepare(input: TaskInput): R;
  /**
   * Set where each request must be a run of its own, so that one request's failure is its own
   * and never rejects others queued beside it (feeds of `run()`, pushes of audio streams).
   */
  runsAlone?: true;
  /** An input the model is run on while it loads, so that the first real call does not pay the first-run costs. */
  warmUpInput(): TaskInput;
  run(session: ModelSession, batch: R[]): Promise<Out[]>;
  /** Cuts a request of more rows than one run may take into parts, and joins their outputs. */
  split(request: R, maxRows: number): R[];
  join(outputs: Out[]): Out;
}

export type TaskFiles = ReadonlyMap<FileRole, Uint8Array>;

/** split() and join() of a task whose every request is one row (a picture, a set of feeds): there is nothing to cut. */
export const ONE_ROW = {
  split: <R>(request: R): R[] => [request],
  join: <Out>(outputs: Out[]): Out => {
    const [only] = outputs;
    if (only === undefined) throw new InpageError('INTERNAL', 'A one-row request gave no output');
    return only;
  },
} as const;

/**
 * What a registry entry of the task must hold, beside what every entry holds.
 * @example
 * ```ts
 * const rules: TaskManifestRules = TASKS['text-classification'].manifest;
 * console.log(rules.roles);   // ['tokenizer']
 * ```
 */
export interface TaskManifestRules {
  /** One line for the README and the CLI's help: what predict() takes and gives. */
  summary: { input: string; result: string };
  /**
   * valibot schema of `preprocess` (its `kind` a literal), or null when the task needs none. The
   * task's type for it is read off the same schema (`v.InferOutput`); the registry's JSON Schema
   * is generated from it.
   */
  preprocess: PreprocessSchema | null;
  /** File roles an entry must have beside the model. */
  roles: FileRole[];
  /** Whether `labels` (class names in output order) is required. */
  labels: boolean;
}

/** Facts about a loaded model that the page side may use to read its input (e.g. the picture size it needs). */
export interface PageModelFacts {
  id: string;
  preprocess: { kind: string } | undefined;
  /** The declared inputs, which feeds are checked against before they leave the page. */
  inputs: readonly TensorSpec[];
}

/** The main thread's side: the page's input to what crosses to the engine, and the engine's answer to predict()'s result. */
export interface TaskPageSide<T extends TaskName> {
  /** Reads and checks the page's input; may be async (decoding a Blob). Throws INPUT_INVALID. */
  toWire(input: unknown, model: PageModelFacts): TaskInput | Promise<TaskInput>;
  /** Turns the engine's answer into what predict() resolves with, for this input. */
  fromWire(output: TaskOutput, input: unknown): Promise<PredictResult<T>> | PredictResult<T>;
}

/** What predict() resolves with for task T (over all its overloads). */
export type PredictResult<T extends TaskName> = TaskTypes[T] extends { result: infer R } ? R : never;

/**
 * A task: its manifest rules, its page side (input to what crosses to the engine) and its runner (pre- and post-processing around a run).
 * @example
 * ```ts
 * const task: TaskDefinition<'digits'> = TASKS.digits;
 * console.log(task.manifest.summary.input);
 * ```
 */
export interface TaskDefinition<T extends TaskName> {
  name: T;
  manifest: TaskManifestRules;
  page: TaskPageSide<T>;
  /**
   * The engine's side. Async so that a task's heavy code (a tokenizer) is imported only when a
   * model of the task loads. Its outputs are tagged with the task name.
   */
  createRunner(entry: ModelVersion, files: TaskFiles): Promise<TaskRunner<PreparedRequest, TaskOutputOf<T>>>;
}

/** Task T's answer to one request, tagged. */
export type TaskOutputOf<T extends TaskName> = Extract<TaskOutput, { task: T }>;
