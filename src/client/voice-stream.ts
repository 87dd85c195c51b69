/**
 * A stream of audio into a voice-activity model, as the page holds it. The model's recurrent
 * state lives in the engine (worker or in-thread) under this stream's id; the page keeps only
 * its clock and the speech/silence decision (SpeechSegmenter), and fires `speechstart`,
 * `speechend` and `frame` events. Owns: how many seconds were pushed, and whether speech is on.
 */
import { InpageError, toInpageError } from '../errors.js';
import type { AudioTaskInput, TaskOutput } from '../protocol/task-io.js';
import { SpeechSegmenter, speechOptionProblems, type SpeechEvent, type SpeechOptions, type VoiceFrame } from '../tasks/speech-segments.js';
import { checkSampleRate, checkSamples } from '../tasks/voice-activity.js';
import { nextRequestId } from './request-id.js';

/**
 * Options of `model.stream()`: the rate of the samples you will push, and when speech starts and ends.
 * @example
 * ```ts
 * const stream = vad.stream({ sampleRate: 48000, minSpeechMs: 200 });
 * ```
 */
export interface StreamOptions extends SpeechOptions {
  /** Sample rate of the pushed samples (default: the model's, 16 000); they are resampled to the model's. */
  sampleRate?: number;
}

/**
 * What a `speechstart` / `speechend` event carries.
 * @example
 * ```ts
 * stream.addEventListener('speechstart', (event) => console.log('speech at', event.detail.time, 's'));
 * ```
 */
export interface SpeechEventDetail {
  /** Seconds from the start of the stream. */
  time: number;
}

/** Sends one audio request to the engine (the model's queue) and returns its answer. */
export type AudioSender = (input: AudioTaskInput) => Promise<TaskOutput>;

/**
 * A voice-activity stream: `push()` samples of any length, get one `{ start, end, probability }`
 * per completed frame; `speechstart` / `speechend` events (`CustomEvent<{ time }>`) and a
 * `frame` event (`CustomEvent<VoiceFrame>`) per frame. Made by `model.stream()`.
 *
 * @example
 * ```ts
 * const stream = vad.stream({ sampleRate: 48000 });
 * stream.addEventListener('speechstart', (e) => console.log('speech at', (e as CustomEvent).detail.time));
 * const frames = await stream.push(samples);
 * await stream.close();
 * ```
 */
export class VoiceStream extends EventTarget {
  readonly id = nextRequestId('stream');
  readonly sampleRate: number;
  private readonly segmenter: SpeechSegmenter;
  private pushedSeconds = 0;
  private pushed = false;
  private closed = false;
  /** Results are turned into events in the order the pushes were made. */
  private tail: Promise<unknown> = Promise.resolve();

  /** @internal Made by `model.stream()`. */
  constructor(
    private readonly send: AudioSender,
    modelRate: number,
    options: StreamOptions = {},
  ) {
    super();
    const { sampleRate = modelRate, ...speech } = options;
    const problem = speechOptionProblems(speech);
    if (problem) throw new InpageError('OPTIONS_INVALID', `stream(): ${problem}`);
    try {
      this.sampleRate = checkSampleRate(sampleRate);
    } catch (error) {
      throw new InpageError('OPTIONS_INVALID', `stream(): ${(error as Error).message}`);
    }
    this.segmenter = new SpeechSegmenter(speech);
  }

  /** True between a `speechstart` and its `speechend`. */
  get inSpeech(): boolean {
    return this.segmenter.inSpeech;
  }

  /**
   * Pushes samples (mono, in [-1, 1], at the stream's sample rate, any length; they are copied).
   * Resolves with the frames they complete, after their events have fired. A worker crash
   * rejects the pending push with WORKER_CRASHED; the next push works on a fresh state, and its
   * first frame says `reset: true`.
   */
  push(samples: Float32Array): Promise<VoiceFrame[]> {
    if (this.closed) return Promise.reject(new InpageError('DISPOSED', 'This stream was closed'));
    let input: AudioTaskInput;
    try {
      input = this.request('push', checkSamples(samples, this.sampleRate).slice());
    } catch (error) {
      return Promise.reject(toInpageError(error));
    }
    this.pushedSeconds += samples.length / this.sampleRate;
    this.pushed = true;
    const answer = this.send(input);
    const frames = this.after(answer).then((output) => this.receive(output));
    this.tail = frames.catch(() => undefined);
    return frames;
  }

  /**
   * Forgets the state and the clock: the next push starts at 0 s on a fresh state. Pushes made
   * before it are answered (and their events fired) first; speech still going then ends.
   */
  async reset(): Promise<void> {
    if (this.closed) throw new InpageError('DISPOSED', 'This stream was closed');
    const input = this.request('reset', new Float32Array(0));
    this.pushedSeconds = 0;
    this.pushed = false;
    // The speech decision is reset in turn, after the frames of earlier pushes have been heard.
    const done = this.after(this.send(input)).then(() => {
      this.fire(this.segmenter.flush());
      this.segmenter.reset();
    });
    this.tail = done.catch(() => undefined);
    await done;
  }

  /** Ends the stream: speech still going ends (`speechend`), and the engine forgets its state. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const input = this.request('close', new Float32Array(0));
    await this.after(Promise.resolve(undefined));
    this.fire(this.segmenter.flush());
    await this.send(input).catch(() => undefined);
  }

  private request(op: AudioTaskInput['op'], samples: Float32Array): AudioTaskInput {
    return { kind: 'audio', stream: this.id, samples, sampleRate: this.sampleRate, op, offset: this.pushedSeconds, continues: this.pushed };
  }

  /** `work`, settled only after everything pushed before it has been turned into events. */
  private after<T>(work: Promise<T>): Promise<T> {
    // Handled now: a rejection that comes while earlier pushes are pending is the caller's to
    // see through the returned promise, not an unhandled one.
    work.catch(() => undefined);
    return this.tail.then(() => work);
  }

  private receive(output: TaskOutput): VoiceFrame[] {
    if (output.task !== 'voice-activity') throw new InpageError('INTERNAL', `A voice stream was answered as ${output.task}`);
    for (const frame of output.result.frames) {
      // The engine lost the state (a worker crash): speech in progress is over.
      if (frame.reset) this.fire(this.segmenter.flush());
      this.dispatchEvent(new CustomEvent<VoiceFrame>('frame', { detail: frame }));
      this.fire(this.segmenter.push(frame));
    }
    return output.result.frames;
  }

  private fire(events: SpeechEvent[]): void {
    for (const event of events) this.dispatchEvent(new CustomEvent<SpeechEventDetail>(event.type, { detail: { time: event.time } }));
  }
}
