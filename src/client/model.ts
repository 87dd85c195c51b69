/**
 * A loaded model, as the page sees it. `predict()` converts the page's input, sends it to the
 * engine (worker or in-thread) and returns the task's result.
 */
import { InpageError, throwIfAborted, toInpageError } from '../errors.js';
import type { Engine } from '../protocol/engine.js';
import type { ModelInfo } from '../protocol/model-info.js';
import type { DigitPrediction, TaskOutput, TextClassification } from '../protocol/task-io.js';
import { abortable } from './abort.js';
import { toTaskInput, type DigitInput } from './inputs.js';
import { checkObject, checkSignal, type PredictOptions } from './options.js';
import { nextRequestId } from './request-id.js';

/**
 * A loaded model: `predict()` runs it, `info` describes it, `dispose()` frees it. Made by
 * {@link Inpage.load}; `load('mnist')` and `load('sentiment')` are typed as {@link DigitsModel}
 * and {@link TextModel}.
 *
 * @example
 * ```ts
 * const digits = await inpage.load('mnist');
 * const { label } = await digits.predict(canvas);
 * await digits.dispose();
 * ```
 */
export class Model {
  private disposed = false;

  /** @internal Made by {@link Inpage.load}. */
  constructor(
    private readonly engine: Engine,
    private readonly handle: string,
    private current: ModelInfo,
    private readonly onDispose: (model: Model) => void,
    /** Tells the instance that this model's backend changed, so it re-reads the report. */
    private readonly onBackendMoved: () => void,
  ) {}

  /** id, version, task, backend, labels, metrics and how the load went. */
  get info(): ModelInfo {
    return this.current;
  }

  /**
   * Runs the model on one input. The digits task takes a canvas, OffscreenCanvas, ImageBitmap,
   * ImageData or 784 numbers; text classification takes a string, or an array of strings (one
   * result each). Concurrent calls are safe and are batched together.
   *
   * @example
   * ```ts
   * const { label, probabilities } = await digits.predict(canvas);
   * const { label, score } = await sentiment.predict('What a lovely day');
   * ```
   */
  async predict(input: DigitInput | string | string[], options?: PredictOptions): Promise<DigitPrediction | TextClassification | TextClassification[]> {
    if (this.disposed) throw new InpageError('DISPOSED', `${this.current.id} was disposed`);
    const signal = checkSignal(checkObject(options, 'predict()', ['signal'])['signal'], 'predict()');
    throwIfAborted(signal, 'The prediction');
    const requestId = nextRequestId();
    const taskInput = toTaskInput(this.current.task, input);
    const work = this.engine.predict({ handle: this.handle, requestId, input: taskInput });
    const response = await abortable(work, signal, () => void this.engine.abort(requestId), 'The prediction').catch((error: unknown) => {
      throw toInpageError(error);
    });
    if (response.backend !== this.current.backend) {
      this.current = { ...this.current, backend: response.backend };
      this.onBackendMoved();
    }
    return unpack(response.output, typeof input === 'string');
  }

  /** Frees the model's session; pending predictions settle (a result or ABORTED). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose(this);
    await this.engine.unload(this.handle).catch(() => undefined);
  }

  /** @internal The engine moved this model to another backend (e.g. WebGPU device lost). */
  refresh(info: Partial<ModelInfo>): void {
    this.current = { ...this.current, ...info };
  }
}

function unpack(output: TaskOutput, single: boolean): DigitPrediction | TextClassification | TextClassification[] {
  if (output.kind === 'digit') return output.result;
  if (!single) return output.results;
  const [first] = output.results;
  if (!first) throw new InpageError('INTERNAL', 'The text model returned no result');
  return first;
}

/** A model of the digits task, as `load('mnist')` returns it. */
export interface DigitsModel extends Model {
  predict(input: DigitInput, options?: PredictOptions): Promise<DigitPrediction>;
}

/** A text classification model, as `load('sentiment')` returns it. */
export interface TextModel extends Model {
  predict(input: string, options?: PredictOptions): Promise<TextClassification>;
  predict(input: string[], options?: PredictOptions): Promise<TextClassification[]>;
}
