/**
 * Speech start and end from per-frame speech probabilities, with hysteresis: speech starts when
 * frames stay at or above `threshold` (never dropping under `negativeThreshold`) for
 * `minSpeechMs`, dated from its first frame; it ends when frames stay under `negativeThreshold`
 * for `minSilenceMs`, dated from the first quiet frame. Frames between the two thresholds
 * neither start nor end anything. Pure and synchronous: the page runs it on each push's frames.
 * Owns: one stream's speaking state and the runs of frames it is timing (one SpeechSegmenter per stream).
 */

/**
 * One frame's speech probability, with its span in seconds from the start of the stream.
 * @example
 * ```ts
 * for (const { start, end, probability } of frames) console.log(`${start}-${end}s: ${probability}`);
 * ```
 */
export interface VoiceFrame {
  start: number;
  end: number;
  probability: number;
  /** On the first frame after the engine lost the stream's state (a worker crash): it started afresh. */
  reset?: true;
}

/**
 * When speech starts and ends: the options of `model.stream()` and `listen()`.
 * @example
 * ```ts
 * const options: SpeechOptions = { threshold: 0.6, negativeThreshold: 0.4, minSpeechMs: 300, minSilenceMs: 500 };
 * ```
 */
export interface SpeechOptions {
  /** A frame at or above this is speech (default 0.5). */
  threshold?: number;
  /** A frame under this is silence (default 0.35); between the two, a frame changes nothing. */
  negativeThreshold?: number;
  /** Speech must last this long to count (default 250 ms): clicks and coughs do not. */
  minSpeechMs?: number;
  /** Silence must last this long to end speech (default 400 ms): pauses between words do not. */
  minSilenceMs?: number;
}

/**
 * The defaults of {@link SpeechOptions}: when a stream calls a frame speech or silence.
 * @example
 * ```ts
 * const stream = vad.stream({ threshold: SPEECH_DEFAULTS.threshold + 0.1 });
 * ```
 */
export const SPEECH_DEFAULTS: Required<SpeechOptions> = Object.freeze({
  threshold: 0.5,
  negativeThreshold: 0.35,
  minSpeechMs: 250,
  minSilenceMs: 400,
});

export interface SpeechEvent {
  type: 'speechstart' | 'speechend';
  /** Seconds from the start of the stream. */
  time: number;
}

export class SpeechSegmenter {
  private readonly options: Required<SpeechOptions>;
  private speaking = false;
  /** Start of the speech being confirmed (not yet speaking) or of the silence being confirmed (speaking). */
  private runStart: number | null = null;
  private lastEnd = 0;

  constructor(options: SpeechOptions = {}) {
    this.options = { ...SPEECH_DEFAULTS, ...options };
  }

  get inSpeech(): boolean {
    return this.speaking;
  }

  push(frame: VoiceFrame): SpeechEvent[] {
    const { threshold, negativeThreshold, minSpeechMs, minSilenceMs } = this.options;
    const events: SpeechEvent[] = [];
    this.lastEnd = frame.end;
    if (!this.speaking) {
      if (frame.probability >= threshold) this.runStart ??= frame.start;
      else if (frame.probability < negativeThreshold) this.runStart = null;
      if (this.runStart !== null && (frame.end - this.runStart) * 1000 >= minSpeechMs) {
        events.push({ type: 'speechstart', time: this.runStart });
        this.speaking = true;
        this.runStart = null;
      }
    } else {
      if (frame.probability < negativeThreshold) this.runStart ??= frame.start;
      else if (frame.probability >= threshold) this.runStart = null;
      if (this.runStart !== null && (frame.end - this.runStart) * 1000 >= minSilenceMs) {
        events.push({ type: 'speechend', time: this.runStart });
        this.speaking = false;
        this.runStart = null;
      }
    }
    return events;
  }

  /** Ends speech that is still going when the stream stops. */
  flush(): SpeechEvent[] {
    if (!this.speaking) return [];
    this.speaking = false;
    const time = this.runStart ?? this.lastEnd;
    this.runStart = null;
    return [{ type: 'speechend', time }];
  }

  reset(): void {
    this.speaking = false;
    this.runStart = null;
    this.lastEnd = 0;
  }
}

/** Checks SpeechOptions, naming a bad one. */
export function speechOptionProblems(options: SpeechOptions): string | null {
  const merged = { ...SPEECH_DEFAULTS, ...options };
  for (const key of ['threshold', 'negativeThreshold'] as const) {
    const value = merged[key];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) return `${key} must be a number in [0, 1]`;
  }
  if (merged.negativeThreshold > merged.threshold) return 'negativeThreshold must not be above threshold';
  for (const key of ['minSpeechMs', 'minSilenceMs'] as const) {
    const value = merged[key];
    if (typeof value !== 'number' || !(value >= 0 && value <= 60_000)) return `${key} must be a number of milliseconds in [0, 60000]`;
  }
  return null;
}
