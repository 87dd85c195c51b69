/**
 * Voice activity: is someone speaking? For Silero-style models that take one frame of audio
 * after some samples of context, with a recurrent state carried from frame to frame; the card
 * says the sample rate, frame size, context and the names and shape of the state.
 * Streams (`model.stream()`, `listen()`) keep that state here, in the engine, between pushes:
 * the page sends samples at any rate and in any lengths, and gets back one probability per
 * completed frame. `predict()` runs one clip on a fresh state and finds its speech segments.
 */
import { InpageError } from '../errors.js';
import * as v from 'valibot';
import type { AudioTaskInput, TaskInput } from '../protocol/task-io.js';
import type { ModelVersion } from '../registry/manifest-types.js';
import type { ModelSession } from '../runtime/model-session.js';
import { MAX_AUDIO_SECONDS } from './input-limits.js';
import { describeInput } from './read-pixels.js';
import { StreamResampler } from './resample-stream.js';
import { SpeechSegmenter, type VoiceFrame } from './speech-segments.js';
import type { PreparedRequest, TaskDefinition, TaskOutputOf } from './task.js';
import { checkFinite, floatOutput, type TensorMap } from './tensors.js';

export type { VoiceFrame } from './speech-segments.js';

/**
 * A clip: samples at the model's rate, or with their own rate.
 * @example
 * ```ts
 * const clip: AudioClip = { samples: new Float32Array(48000), sampleRate: 48000 };
 * const { segments } = await vad.predict(clip);
 * ```
 */
export type AudioClip = Float32Array | { samples: Float32Array; sampleRate: number };

/**
 * Result of predict() on a clip: every frame's probability and the speech found in it.
 * @example
 * ```ts
 * const { frames, segments }: VoiceActivity = await vad.predict(samples);
 * ```
 */
export interface VoiceActivity {
  frames: VoiceFrame[];
  /** Stretches of speech, in seconds from the clip's start (default thresholds, see `model.stream()`). */
  segments: { start: number; end: number }[];
}

/** What the engine answers one push with. */
export interface VoiceFrames {
  frames: VoiceFrame[];
}

declare module '../protocol/task-io.js' {
  interface TaskTypes {
    'voice-activity': {
      wire: VoiceFrames;
      result: VoiceActivity;
      predict: (input: AudioClip, options?: { signal?: AbortSignal }) => Promise<VoiceActivity>;
    };
  }
}

/** A Silero-style model, from its card. */
/** Open streams one model keeps state for (each holds a state tensor, a context and under a frame of samples). */
export const MAX_STREAMS = 256;

/** Rates a stream may be pushed at. */
const MIN_RATE = 8_000;
const MAX_RATE = 384_000;

const tensorName = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));

const vadPreprocessSchema = v.object({
  kind: v.literal('vad'),
  /** The model's sample rate (16000). */
  sampleRate: v.pipe(v.number(), v.integer(), v.minValue(MIN_RATE), v.maxValue(MAX_RATE)),
  /** New samples per frame (512 at 16 kHz: 32 ms). */
  frameSamples: positiveInteger,
  /** Samples of the previous frame put before each frame (64). */
  contextSamples: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Input names: the audio, the state, and (if the model takes it) the sample rate as an int64 scalar. */
  audioInput: tensorName,
  stateInput: tensorName,
  sampleRateInput: v.optional(tensorName),
  /** Output names: the speech probability and the next state. */
  probabilityOutput: tensorName,
  stateOutput: tensorName,
  /** Shape of the state ([2, 1, 128]). */
  stateShape: v.pipe(v.array(positiveInteger), v.minLength(1, 'must not be empty')),
});

/**
 * A voice-activity model's `preprocess`: its frame, its inputs and outputs by name, and its recurrent state's shape.
 * @example
 * ```ts
 * const preprocess: VadPreprocess = {
 *   kind: 'vad', sampleRate: 16000, frameSamples: 512, contextSamples: 64, audioInput: 'input',
 *   stateInput: 'state', sampleRateInput: 'sr', probabilityOutput: 'output', stateOutput: 'stateN', stateShape: [2, 1, 128],
 * };
 * ```
 * @interface
 */
export type VadPreprocess = v.InferOutput<typeof vadPreprocessSchema>;

function isVadPreprocess(preprocess: { kind: string } | undefined): preprocess is VadPreprocess {
  return preprocess?.kind === 'vad';
}

export function checkSampleRate(rate: unknown): number {
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < MIN_RATE || rate > MAX_RATE) {
    throw new InpageError('INPUT_INVALID', `The sample rate must be a number of Hz from ${MIN_RATE} to ${MAX_RATE}, got ${String(rate)}`);
  }
  return rate;
}

export function checkSamples(samples: unknown, sampleRate: number): Float32Array {
  if (!(samples instanceof Float32Array)) {
    throw new InpageError('INPUT_INVALID', `Audio must be a Float32Array of samples in [-1, 1], got ${describeInput(samples)}`);
  }
  if (samples.length > MAX_AUDIO_SECONDS * sampleRate) {
    throw new InpageError(
      'INPUT_INVALID',
      `${(samples.length / sampleRate).toFixed(0)} s of audio in one call; at most ${MAX_AUDIO_SECONDS} s are taken at once: push longer recordings to model.stream() in parts`,
    );
  }
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]))
      throw new InpageError('INPUT_INVALID', `Sample ${i} is ${String(samples[i])}: every sample must be a finite number`);
  }
  return samples;
}

let clips = 0;

function toWire(input: unknown, model: { preprocess: { kind: string } | undefined }): TaskInput {
  const rate = isVadPreprocess(model.preprocess) ? model.preprocess.sampleRate : 16_000;
  const clip = input instanceof Float32Array ? { samples: input, sampleRate: rate } : input;
  if (typeof clip !== 'object' || clip === null || !('samples' in clip)) {
    throw new InpageError(
      'INPUT_INVALID',
      `A voice-activity model takes a Float32Array of samples or { samples, sampleRate }; got ${describeInput(input)}`,
    );
  }
  const sampleRate = checkSampleRate('sampleRate' in clip ? clip.sampleRate : rate);
  const samples = checkSamples(clip.samples, sampleRate).slice();
  return { kind: 'audio', stream: `clip-${++clips}`, samples, sampleRate, op: 'once', offset: 0, continues: false };
}

/** One stream's state in the engine. */
interface StreamState {
  resampler: StreamResampler;
  /** Samples at the model's rate waiting to fill a frame. */
  pending: Float32Array;
  context: Float32Array;
  state: Float32Array;
  /** Frames run so far, and the time of the first (seconds). */
  frames: number;
  origin: number;
  /** Set when the state was made afresh for a stream the engine had lost: the next frame says so. */
  announceReset: boolean;
}

interface PreparedAudio extends PreparedRequest {
  audio: AudioTaskInput;
  /**
   * Progress of this request, kept on it so that a run replayed after a WebGPU device loss goes
   * on where it stopped: its samples are taken into the stream once, its frames never run twice.
   */
  taken: boolean;
  frames: VoiceFrame[];
  /** The stream of a one-off clip (predict()), which lives only as long as its request. */
  onceStream?: StreamState;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  if (a.length === 0) return b;
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function createVadRunner(p: VadPreprocess) {
  /** The states of open streams, least recently pushed first. */
  const streams = new Map<string, StreamState>();
  // A page that never closes its streams must not grow the engine for ever: past MAX_STREAMS the
  // least recently pushed one is forgotten, and its next push starts afresh saying `reset: true`.
  const keep = (id: string, stream: StreamState): void => {
    streams.delete(id);
    streams.set(id, stream);
    const [oldest] = streams.keys();
    if (streams.size > MAX_STREAMS && oldest !== undefined) streams.delete(oldest);
  };
  const stateSize = p.stateShape.reduce((n, d) => n * d, 1);
  const fresh = (sampleRate: number, origin: number, announceReset: boolean): StreamState => ({
    resampler: new StreamResampler(sampleRate, p.sampleRate),
    pending: new Float32Array(0),
    context: new Float32Array(p.contextSamples),
    state: new Float32Array(stateSize),
    frames: 0,
    origin,
    announceReset,
  });

  async function runFrame(session: ModelSession, stream: StreamState, frame: Float32Array): Promise<number> {
    const input = new Float32Array(p.contextSamples + p.frameSamples);
    input.set(stream.context);
    input.set(frame, p.contextSamples);
    const feeds: TensorMap = {
      [p.audioInput]: { type: 'float32', data: input, dims: [1, input.length] },
      [p.stateInput]: { type: 'float32', data: stream.state, dims: p.stateShape },
    };
    if (p.sampleRateInput) feeds[p.sampleRateInput] = { type: 'int64', data: BigInt64Array.of(BigInt(p.sampleRate)), dims: [] };
    const outputs = await session.run(feeds);
    const probability = floatOutput(outputs, p.probabilityOutput)[0];
    const next = outputs[p.stateOutput];
    if (probability === undefined || next?.type !== 'float32' || next.data.length !== stateSize) {
      throw new InpageError(
        'MODEL_INVALID',
        `The model's outputs do not match its card (${p.probabilityOutput}, ${p.stateOutput} of ${stateSize} values)`,
      );
    }
    checkFinite(p.stateOutput, next);
    stream.state = next.data;
    stream.context = input.slice(input.length - p.contextSamples);
    return probability;
  }

  return {
    prepare(input: TaskInput): PreparedAudio {
      if (input.kind !== 'audio') throw new InpageError('INPUT_INVALID', 'A voice-activity model takes audio samples');
      checkSamples(input.samples, checkSampleRate(input.sampleRate));
      return { rows: 1, audio: input, taken: false, frames: [] };
    },
    runsAlone: true as const,
    warmUpInput: (): TaskInput => ({
      kind: 'audio',
      stream: 'warm-up',
      samples: new Float32Array(p.frameSamples),
      sampleRate: p.sampleRate,
      op: 'once',
      offset: 0,
      continues: false,
    }),
    // Frames of one stream depend on each other: a request is never cut, and a batch runs its requests in order.
    split: (request: PreparedAudio) => [request],
    join: (outputs: TaskOutputOf<'voice-activity'>[]) => ({
      task: 'voice-activity' as const,
      result: { frames: outputs.flatMap((o) => o.result.frames) },
    }),
    async run(session: ModelSession, batch: PreparedAudio[]): Promise<TaskOutputOf<'voice-activity'>[]> {
      const results: TaskOutputOf<'voice-activity'>[] = [];
      for (const request of batch) {
        const { audio } = request;
        if (audio.op === 'reset' || audio.op === 'close') {
          streams.delete(audio.stream);
          results.push({ task: 'voice-activity', result: { frames: [] } });
          continue;
        }
        let stream = audio.op === 'once' ? request.onceStream : streams.get(audio.stream);
        if (stream?.resampler.fromRate !== audio.sampleRate) {
          stream = fresh(audio.sampleRate, audio.offset, audio.continues && !stream);
          if (audio.op === 'once') request.onceStream = stream;
        }
        if (audio.op === 'push') keep(audio.stream, stream);
        if (!request.taken) {
          stream.pending = concat(stream.pending, stream.resampler.push(audio.samples));
          request.taken = true;
        }
        // Each frame is taken off the pending samples as soon as it has run: a failure part-way
        // leaves the stream exactly after the last frame that ran, with its state.
        while (stream.pending.length >= p.frameSamples) {
          const probability = await runFrame(session, stream, stream.pending.subarray(0, p.frameSamples));
          stream.pending = stream.pending.slice(p.frameSamples);
          const start = stream.origin + (stream.frames * p.frameSamples) / p.sampleRate;
          const frame: VoiceFrame = { start, end: start + p.frameSamples / p.sampleRate, probability };
          if (stream.announceReset) {
            frame.reset = true;
            stream.announceReset = false;
          }
          request.frames.push(frame);
          stream.frames += 1;
        }
        results.push({ task: 'voice-activity', result: { frames: request.frames } });
      }
      return results;
    },
  };
}

function segmentsOf(frames: VoiceFrame[]): { start: number; end: number }[] {
  const segmenter = new SpeechSegmenter();
  const segments: { start: number; end: number }[] = [];
  let start = 0;
  for (const event of [...frames.flatMap((frame) => segmenter.push(frame)), ...segmenter.flush()]) {
    if (event.type === 'speechstart') start = event.time;
    else segments.push({ start, end: event.time });
  }
  return segments;
}

export const voiceActivity: TaskDefinition<'voice-activity'> = {
  name: 'voice-activity',
  manifest: {
    summary: {
      input: 'a `Float32Array` of samples, or `{ samples, sampleRate }`; streams: `model.stream()`, `listen()`',
      result: '`{ frames: [{ start, end, probability }…], segments: [{ start, end }…] }`',
    },
    preprocess: vadPreprocessSchema,
    roles: [],
    labels: false,
  },
  page: {
    toWire,
    fromWire(output) {
      if (output.task !== 'voice-activity') throw new InpageError('INTERNAL', `A voice-activity model answered as ${output.task}`);
      return { frames: output.result.frames, segments: segmentsOf(output.result.frames) };
    },
  },
  async createRunner(entry: ModelVersion) {
    if (!isVadPreprocess(entry.preprocess)) throw new InpageError('MANIFEST_INVALID', 'The voice-activity task needs preprocess.kind "vad"');
    return createVadRunner(entry.preprocess);
  },
};
