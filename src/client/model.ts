/**
 * A loaded model, as the page sees it. `predict()` turns the page's input into what its task
 * sends to the engine (worker or in-thread) and the engine's answer into the task's result;
 * `run()` gives the model named tensors as they are, whatever its task.
 * Owns: the page's copy of the model's info (its backend follows the engine's answers).
 */
import { InpageError, throwIfAborted, toInpageError } from '../errors.js';
import type { Engine } from '../protocol/engine.js';
import type { ModelInfo } from '../protocol/model-info.js';
import type { AudioTaskInput, TaskInput, TaskName, TaskOutput, TaskTypes } from '../protocol/task-io.js';
import type { TaskDefinition } from '../tasks/task.js';
import { feedsToWire } from '../tasks/tensor.js';
import type { Tensor, TensorMap } from '../tasks/tensors.js';
import { startListening, type Listener, type ListenOptions } from './listen.js';
import { VoiceStream, type StreamOptions } from './voice-stream.js';
import { abortable } from './abort.js';
import { checkObject, checkSignal, type PredictOptions } from './options.js';
import { nextRequestId } from './request-id.js';

const STREAM_OPTIONS = ['sampleRate', 'threshold', 'negativeThreshold', 'minSpeechMs', 'minSilenceMs'];

/** What the instance keeps of each live model: the way to tell it that its backend moved. */
export interface BackendFollower {
  readonly info: ModelInfo;
  refresh(info: Partial<ModelInfo>): void;
  /** The instance is being disposed: stop what the model holds in the page (microphones). */
  stopListening(): Promise<void>;
}

/**
 * predict() of a model of task T. For a model whose task is not known when it is typed (a spec
 * given without `{ task }`), it takes anything and checks it at run time.
 * @example
 * ```ts
 * const predict: PredictOf<'digits'> = (await inpage.load('mnist')).predict;
 * ```
 */
export type PredictOf<T extends TaskName> = TaskName extends T
  ? (input: unknown, options?: PredictOptions) => Promise<unknown>
  : TaskTypes[T]['predict'];

/**
 * A loaded model: `predict()` runs its task, `run()` runs it on tensors, `info` describes it,
 * `dispose()` frees it. Made by {@link Inpage.load}, typed by the task of the entry:
 * `load('mnist')` is a {@link DigitsModel}, `load(spec, { task: 'image-classification' })` a
 * `Model<'image-classification'>`.
 *
 * @example
 * ```ts
 * const digits = await inpage.load('mnist');
 * const { label } = await digits.predict(canvas);
 * const out = await digits.run({ input: { type: 'float32', data: new Float32Array(784), dims: [1, 1, 28, 28] } });
 * await digits.dispose();
 * ```
 */
export class Model<T extends TaskName = TaskName> {
  private disposed = false;

  /**
   * Runs the model's task on one input: digits take a canvas, ImageBitmap, ImageData or 784
   * numbers; text classification a string or an array of strings (one result each); image
   * classification any picture; a tensor model named tensors. Concurrent calls are safe and are
   * batched together where the model allows it.
   *
   * @example
   * ```ts
   * const { label, probabilities } = await digits.predict(canvas);
   * const { label, score } = await sentiment.predict('What a lovely day');
   * ```
   */
  readonly predict: PredictOf<T>;

  /** Microphones listened to through this model, until stopped. */
  private readonly listeners = new Set<Listener>();

  /** @internal Made by {@link Inpage.load}. */
  constructor(
    private readonly engine: Engine,
    private readonly handle: string,
    private current: ModelInfo,
    private readonly task: TaskDefinition<T>,
    private readonly onDispose: (model: BackendFollower) => void,
    /** The AudioWorklet module listen() captures with, found like the worker. */
    private readonly captureWorklet: URL,
  ) {
    // One implementation behind the task's overloads (e.g. a string or an array of strings).
    this.predict = ((input: unknown, options?: PredictOptions) => this.predictTask(input, options)) as PredictOf<T>;
  }

  /** id, version, task, backend, labels, inputs, outputs, metrics and how the load went. */
  get info(): ModelInfo {
    return this.current;
  }

  /**
   * Runs the model on named tensors, as onnxruntime-web names them (`{ type, data, dims }`,
   * `BigInt64Array` for int64, `dims: []` for a scalar; onnxruntime-web `Tensor`s are taken as
   * they are), whatever the model's task. The feeds are checked against the model's declared
   * inputs first (every name, the element type, each fixed dimension): a mismatch is
   * INPUT_INVALID naming the input. In a worker, the feeds' buffers are moved there, not
   * copied: copy a buffer first (`data.slice()`) if you need it after the call.
   *
   * @example
   * ```ts
   * const vad = await inpage.load('silero-vad');
   * const out = await vad.run({
   *   input: { type: 'float32', data: new Float32Array(576), dims: [1, 576] },
   *   state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
   *   sr: { type: 'int64', data: BigInt64Array.of(16000n), dims: [] },
   * });
   * out.output.data[0]; // speech probability; out.stateN is the next call's state
   * ```
   */
  async run(feeds: Record<string, Tensor>, options?: PredictOptions): Promise<TensorMap> {
    const output = await this.send(() => feedsToWire(feeds, this.current), options, true);
    if (output.task !== 'tensor') throw new InpageError('INTERNAL', `run() was answered as ${output.task}`);
    return output.result;
  }

  private async predictTask(input: unknown, options?: PredictOptions): Promise<unknown> {
    const facts = { id: this.current.id, preprocess: this.current.preprocess, inputs: this.current.inputs };
    const output = await this.send(() => this.task.page.toWire(input, facts), options, false);
    return this.task.page.fromWire(output, input);
  }

  /**
   * Checks the call, reads the input and sends it. An input read synchronously (a canvas, text)
   * is sent within the caller's own call, before it returns: a crash or dispose that the caller
   * causes right after still concerns this request, as it always has.
   */
  private send(toWire: () => TaskInput | Promise<TaskInput>, options: PredictOptions | undefined, tensors: boolean): Promise<TaskOutput> {
    let signal: AbortSignal | undefined;
    let wire: TaskInput | Promise<TaskInput>;
    try {
      if (this.disposed) throw new InpageError('DISPOSED', `${this.current.id} was disposed`);
      const call = tensors ? 'run()' : 'predict()';
      signal = checkSignal(checkObject(options, call, ['signal']).signal, call);
      throwIfAborted(signal, 'The prediction');
      wire = toWire();
    } catch (error) {
      return Promise.reject(toInpageError(error));
    }
    return wire instanceof Promise ? wire.then((input) => this.dispatch(input, signal, tensors)) : this.dispatch(wire, signal, tensors);
  }

  private async dispatch(input: TaskInput, signal: AbortSignal | undefined, tensors: boolean): Promise<TaskOutput> {
    throwIfAborted(signal, 'The prediction');
    const requestId = nextRequestId();
    const work = this.engine.predict({ handle: this.handle, requestId, input, tensors });
    const response = await abortable(work, signal, () => void this.engine.abort(requestId), 'The prediction').catch((error: unknown) => {
      throw toInpageError(error);
    });
    // The reply says which backend ran it: the model's own, whatever the others run on.
    if (response.backend !== this.current.backend) this.current = { ...this.current, backend: response.backend };
    return response.output;
  }

  /**
   * A stream into a voice-activity model: its recurrent state stays in the engine between
   * pushes. Several streams on one model keep separate states.
   *
   * @example
   * ```ts
   * const stream = vad.stream({ sampleRate: 48000, minSilenceMs: 600 });
   * stream.addEventListener('speechend', (e) => console.log((e as CustomEvent).detail.time));
   * await stream.push(chunk);
   * ```
   */
  stream(this: Model<'voice-activity'>, options?: StreamOptions): VoiceStream {
    return new VoiceStream((input) => this.sendAudio(input), this.modelRate(), checkObject(options, 'stream()', STREAM_OPTIONS));
  }

  /**
   * Listens to a microphone (the default one, asked for now, or `source`): capture runs in an
   * AudioWorklet, the model in the engine. MICROPHONE_DENIED when the visitor refuses,
   * MICROPHONE_UNAVAILABLE when there is none; nothing is left running either way.
   *
   * @example
   * ```ts
   * const mic = await vad.listen();
   * mic.addEventListener('speechstart', () => console.log('speaking'));
   * await mic.stop();   // releases the microphone
   * ```
   */
  async listen(this: Model<'voice-activity'>, source?: MediaStream, options?: ListenOptions): Promise<Listener> {
    if (source !== undefined && !(typeof MediaStream !== 'undefined' && source instanceof MediaStream)) {
      throw new InpageError('OPTIONS_INVALID', 'listen(source, options): source must be a MediaStream (or undefined for the default microphone)');
    }
    const speech = checkObject(
      options,
      'listen()',
      STREAM_OPTIONS.filter((key) => key !== 'sampleRate'),
    );
    this.stream(speech); // checks the options and the task before the microphone is asked for (it sends nothing)
    if (this.disposed) throw new InpageError('DISPOSED', `${this.current.id} was disposed`);
    const listener = await startListening(
      (sampleRate) => this.stream({ ...speech, sampleRate }),
      this.captureWorklet,
      source,
      (stopped) => this.listeners.delete(stopped),
    );
    this.listeners.add(listener);
    // Disposed while the microphone was opening: nothing may keep listening.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- dispose() may have run during the await above
    if (this.disposed) await listener.stop();
    return listener;
  }

  /** @internal Stops every microphone this model listens to (dispose). */
  async stopListening(): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener.stop()));
  }

  private modelRate(): number {
    if (this.current.task !== 'voice-activity') {
      throw new InpageError('OPTIONS_INVALID', `${this.current.id} is a "${this.current.task}" model: only voice-activity models stream audio`);
    }
    const rate = this.current.preprocess?.sampleRate;
    return typeof rate === 'number' ? rate : 16_000;
  }

  private sendAudio(input: AudioTaskInput): Promise<TaskOutput> {
    if (this.disposed) return Promise.reject(new InpageError('DISPOSED', `${this.current.id} was disposed`));
    return this.dispatch(input, undefined, false);
  }

  /** Frees the model's session and stops its microphones; pending predictions settle (a result or ABORTED). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose(this);
    await this.stopListening();
    await this.engine.unload(this.handle).catch(() => undefined);
  }

  /** @internal The engine moved this model to another backend (e.g. WebGPU device lost). */
  refresh(info: Partial<ModelInfo>): void {
    this.current = { ...this.current, ...info };
  }
}

/**
 * A model of the digits task, as `load('mnist')` returns it.
 * @example
 * ```ts
 * const digits: DigitsModel = await inpage.load('mnist');
 * const { label } = await digits.predict(canvas);
 * ```
 */
export type DigitsModel = Model<'digits'>;

/**
 * A text classification model, as `load('sentiment')` returns it.
 * @example
 * ```ts
 * const sentiment: TextModel = await inpage.load('sentiment@^1');
 * const { label, score } = await sentiment.predict('What a lovely day');
 * ```
 */
export type TextModel = Model<'text-classification'>;
