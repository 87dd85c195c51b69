// The voice-activity task's engine side in Node: a stream gives the same frames however its
// audio is cut, at 16 kHz exactly as onnxruntime-node's frame-by-frame reference; the resampler
// is chunk-invariant; speech segments follow the thresholds with hysteresis.
import { describe, expect, it } from 'vitest';
import { StreamResampler } from '../../src/tasks/resample-stream.js';
import { SpeechSegmenter, speechOptionProblems, type VoiceFrame } from '../../src/tasks/speech-segments.js';
import { createVadRunner } from '../../src/tasks/voice-activity.js';
import { referenceVad, speak, SILERO_FILE, SILERO_PREPROCESS } from '../../e2e/helpers/speech.js';
import { nodeSession } from './node-session.js';

/** Cuts `samples` into chunks of the given sizes, round and round. */
function chunks(samples: Float32Array, sizes: number[]): Float32Array[] {
  const out: Float32Array[] = [];
  for (let at = 0, i = 0; at < samples.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    out.push(samples.slice(at, at + size));
    at += size;
  }
  return out;
}

describe('StreamResampler', () => {
  it('gives the same samples however the input is cut', () => {
    const input = Float32Array.from({ length: 9000 }, (_, i) => Math.sin(i / 7) + 0.3 * Math.sin(i / 2.3));
    for (const [from, to] of [
      [48000, 16000],
      [44100, 16000],
      [8000, 16000],
      [16000, 16000],
    ] as const) {
      const whole = new StreamResampler(from, to).push(input);
      const cut = new StreamResampler(from, to);
      const pieces = chunks(input, [100, 4000, 37, 1]).map((chunk) => Array.from(cut.push(chunk)));
      expect(pieces.flat().length).toBe(whole.length);
      pieces.flat().forEach((v, i) => {
        expect(v).toBeCloseTo(whole[i] ?? NaN, 6);
      });
      expect(whole.length).toBe(Math.floor((input.length * to) / from));
    }
  });

  it('averages each output span: 48 kHz to 16 kHz is the mean of every three samples', () => {
    const out = new StreamResampler(48000, 16000).push(Float32Array.of(3, 6, 9, 1, 1, 1));
    expect(Array.from(out)).toEqual([6, 1]);
  });
});

describe('SpeechSegmenter', () => {
  const frames = (probabilities: number[]): VoiceFrame[] =>
    probabilities.map((probability, i) => ({ start: i * 0.1, end: (i + 1) * 0.1, probability }));
  const run = (probabilities: number[], options = {}) => {
    const segmenter = new SpeechSegmenter({ minSpeechMs: 200, minSilenceMs: 300, ...options });
    return [...frames(probabilities).flatMap((f) => segmenter.push(f)), ...segmenter.flush()].map((e) => `${e.type}@${e.time.toFixed(1)}`);
  };

  it('starts after minSpeechMs of speech, dated from its first frame, and ends after minSilenceMs of silence, dated from the first quiet frame', () => {
    expect(run([0, 0, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1])).toEqual(['speechstart@0.2', 'speechend@0.5']);
  });

  it('ignores a click shorter than minSpeechMs and a pause shorter than minSilenceMs', () => {
    expect(run([0, 0.9, 0, 0, 0])).toEqual([]);
    expect(run([0.9, 0.9, 0.9, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.1])).toEqual(['speechstart@0.0', 'speechend@0.7']);
  });

  it('has hysteresis: frames between the thresholds neither start nor end speech', () => {
    expect(run([0.4, 0.4, 0.4, 0.4])).toEqual([]);
    expect(run([0.9, 0.9, 0.4, 0.4, 0.4, 0.4, 0.1, 0.1, 0.1])).toEqual(['speechstart@0.0', 'speechend@0.6']);
  });

  it('ends speech still going when flushed', () => {
    expect(run([0.9, 0.9, 0.9])).toEqual(['speechstart@0.0', 'speechend@0.3']);
  });

  it('checks its options', () => {
    expect(speechOptionProblems({ threshold: 1.5 })).toMatch(/threshold/);
    expect(speechOptionProblems({ threshold: 0.3, negativeThreshold: 0.5 })).toMatch(/negativeThreshold/);
    expect(speechOptionProblems({ minSilenceMs: -1 })).toMatch(/minSilenceMs/);
    expect(speechOptionProblems({})).toBeNull();
  });
});

describe('a Silero VAD stream in the engine (onnxruntime-node)', () => {
  it('gives the reference frames at 16 kHz in odd chunks, and keeps two streams apart', async () => {
    const speech = speak('Hello there, how are you today?', { speed: 170 });
    const reference = await referenceVad(speech.samples);
    const session = await nodeSession(SILERO_FILE);
    const runner = createVadRunner(SILERO_PREPROCESS);
    const push = async (stream: string, samples: Float32Array, continues: boolean) => {
      const [out] = await runner.run(session, [
        runner.prepare({ kind: 'audio', stream, samples, sampleRate: 16000, op: 'push', offset: 0, continues }),
      ]);
      return out?.result.frames ?? [];
    };
    const a: VoiceFrame[] = [];
    const b: VoiceFrame[] = [];
    const pieces = chunks(speech.samples, [100, 4000, 37]);
    for (const [i, piece] of pieces.entries()) {
      a.push(...(await push('a', piece, i > 0)));
      // Stream b gets silence meanwhile: its state must not leak into a's.
      b.push(...(await push('b', new Float32Array(piece.length), i > 0)));
    }
    expect(a.length).toBe(reference.length);
    a.forEach((frame, i) => {
      expect(Math.abs(frame.probability - (reference[i] ?? NaN))).toBeLessThan(1e-4);
      expect(frame.start).toBeCloseTo((i * 512) / 16000, 9);
      expect(frame.reset).toBeUndefined();
    });
    expect(Math.max(...b.map((f) => f.probability))).toBeLessThan(0.2);
    // A stream the engine does not know but the page continues (after a crash) starts afresh at the page's clock and says so.
    const [lost] = await runner.run(session, [
      runner.prepare({ kind: 'audio', stream: 'c', samples: new Float32Array(1024), sampleRate: 16000, op: 'push', offset: 12.5, continues: true }),
    ]);
    expect(lost?.result.frames[0]).toMatchObject({ start: 12.5, reset: true });
    expect(lost?.result.frames[1]?.reset).toBeUndefined();
    await session.release();
  });
});
