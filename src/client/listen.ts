/**
 * `model.listen()`: voice activity from a microphone. Capture runs in an AudioWorklet on the
 * browser's audio thread (inpage.capture.js, found next to the bundle like the worker); each
 * 32 ms chunk is handed to a {@link VoiceStream} whose model runs in the engine, so the main
 * thread only relays buffers and fires events. Owns: the microphone track, the AudioContext and
 * the worklet node, all released by `stop()`.
 */
import { InpageError } from '../errors.js';
import type { VoiceFrame } from '../tasks/speech-segments.js';
import type { StreamOptions, VoiceStream } from './voice-stream.js';
import { optionalGlobals } from '../optional-globals.js';

/**
 * Options of `model.listen()`: when speech starts and ends (see `model.stream()`).
 * @example
 * ```ts
 * const mic = await vad.listen({ threshold: 0.6, minSilenceMs: 600 });
 * ```
 */
export type ListenOptions = Omit<StreamOptions, 'sampleRate'>;

/** Opens the default microphone, mapping the browser's refusals to inpage's codes. */
export async function openMicrophone(): Promise<MediaStream> {
  const devices = optionalGlobals.navigator?.mediaDevices;
  if (!devices?.getUserMedia) {
    throw new InpageError(
      'MICROPHONE_UNAVAILABLE',
      'This browser cannot capture audio here (no getUserMedia; pages must be served over HTTPS or from localhost)',
    );
  }
  try {
    return await devices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      throw new InpageError('MICROPHONE_DENIED', 'Microphone access was refused: allow it for this site to listen', { cause: error });
    }
    throw new InpageError('MICROPHONE_UNAVAILABLE', `No microphone could be opened (${name || String(error)})`, { cause: error });
  }
}

/**
 * A running microphone: the same `speechstart`, `speechend` and `frame` events as its stream,
 * plus `error` (`CustomEvent<InpageError>`) when a chunk could not be run (the next one is tried).
 *
 * @example
 * ```ts
 * const mic = await vad.listen();
 * mic.addEventListener('speechstart', () => (light.hidden = false));
 * mic.addEventListener('speechend', () => (light.hidden = true));
 * await mic.stop();
 * ```
 */
export class Listener extends EventTarget {
  private stopped = false;

  /** @internal Made by `model.listen()`. `ownsMedia`: the microphone was opened here (not the caller's stream). */
  constructor(
    readonly stream: VoiceStream,
    private readonly media: MediaStream,
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    private readonly ownsMedia: boolean,
    private readonly onStop: (listener: Listener) => void,
  ) {
    super();
    for (const type of ['speechstart', 'speechend', 'frame']) {
      stream.addEventListener(type, (event) => {
        if (event instanceof CustomEvent) this.dispatchEvent(new CustomEvent(type, { detail: event.detail as unknown }));
      });
    }
    node.port.onmessage = (event: MessageEvent<Float32Array>) => {
      if (this.stopped) return;
      stream.push(event.data).catch((error: unknown) => {
        if (!this.stopped) this.dispatchEvent(new CustomEvent('error', { detail: error }));
      });
    };
  }

  /** True between a `speechstart` and its `speechend`. */
  get inSpeech(): boolean {
    return this.stream.inSpeech;
  }

  /**
   * Stops listening: releases the microphone it opened (a stream you passed in stays yours, its
   * tracks running) and the audio context, and closes the stream (speech in progress ends).
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop(this);
    this.node.port.postMessage('stop');
    this.node.port.onmessage = null;
    this.node.disconnect();
    if (this.ownsMedia) for (const track of this.media.getTracks()) track.stop();
    await this.context.close().catch(() => undefined);
    await this.stream.close();
  }
}

/** Starts capture into a stream made at the audio context's rate. Releases everything it made when a step fails. */
export async function startListening(
  makeStream: (sampleRate: number) => VoiceStream,
  workletUrl: URL,
  source: MediaStream | undefined,
  onStop: (listener: Listener) => void,
): Promise<Listener> {
  if (typeof AudioContext === 'undefined' || typeof AudioWorkletNode === 'undefined') {
    throw new InpageError('MICROPHONE_UNAVAILABLE', 'This browser has no AudioWorklet to capture audio with');
  }
  const media = source ?? (await openMicrophone());
  if (media.getAudioTracks().length === 0) throw new InpageError('MICROPHONE_UNAVAILABLE', 'The media stream has no audio track');
  let context: AudioContext | null = null;
  try {
    context = new AudioContext();
    await context.audioWorklet.addModule(workletUrl);
    const node = new AudioWorkletNode(context, 'inpage-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
    });
    context.createMediaStreamSource(media).connect(node);
    // A context made without a user gesture may start suspended.
    if (context.state === 'suspended') await context.resume();
    return new Listener(makeStream(context.sampleRate), media, context, node, !source, onStop);
  } catch (error) {
    await context?.close().catch(() => undefined);
    if (!source) for (const track of media.getTracks()) track.stop();
    if (error instanceof InpageError) throw error;
    throw new InpageError('MICROPHONE_UNAVAILABLE', `Audio capture could not start (${String(error)}); is ${workletUrl.href} served?`, {
      cause: error,
    });
  }
}

export type { VoiceFrame };
