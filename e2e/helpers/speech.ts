/**
 * Speech for the tests, made here: Debian's espeak-ng says a sentence into a WAV file, which is
 * resampled to 16 kHz and put between silences. And the reference every browser figure is held
 * to: Silero VAD run frame by frame by onnxruntime-node.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VadPreprocess } from '../../src/tasks/voice-activity';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');

export const VAD_RATE = 16_000;
const CONTEXT = 64;
const FRAME = 512;

/** Mono 16-bit PCM samples of a WAV file as floats in [-1, 1], with its sample rate. */
export function readWav(bytes: Buffer): { samples: Float32Array; rate: number } {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let at = 12;
  let rate = 0;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ') rate = bytes.readUInt32LE(at + 12);
    // espeak-ng writes a streaming header: its data size may say 0x7fffffff; read to the end.
    if (id === 'data') {
      const end = Math.min(bytes.length, at + 8 + size);
      const samples = new Float32Array(Math.floor((end - at - 8) / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(at + 8 + i * 2) / 32768;
      return { samples, rate };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk in the WAV file');
}

/** Linear-interpolation resampling: the same samples go to the browser and to the reference, so its quality only has to be fair. */
export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  const out = new Float32Array(Math.floor((samples.length * to) / from));
  for (let i = 0; i < out.length; i++) {
    const position = (i * from) / to;
    const left = Math.floor(position);
    const fraction = position - left;
    out[i] = (samples[left] ?? 0) * (1 - fraction) + (samples[left + 1] ?? 0) * fraction;
  }
  return out;
}

export interface Speech {
  /** 16 kHz samples: silence, the sentence, silence. */
  samples: Float32Array;
  /** Where the voice is, in seconds (from the first and last sample above 2 % of full scale). */
  speechStart: number;
  speechEnd: number;
}

/** espeak-ng says `text` (voice e.g. "en", "en-us+f3"; speed in words per minute) between `silence` seconds of quiet. */
export function speak(text: string, options: { voice?: string; speed?: number; silence?: number } = {}): Speech {
  const dir = mkdtempSync(join(tmpdir(), 'inpage-speech-'));
  try {
    const file = join(dir, 'speech.wav');
    try {
      execFileSync('espeak-ng', ['-v', options.voice ?? 'en', '-s', String(options.speed ?? 160), '-w', file, text]);
    } catch (error) {
      throw new Error(`espeak-ng is needed for the speech tests (apt-get install espeak-ng; .ci/run installs it): ${String(error)}`, {
        cause: error,
      });
    }
    const wav = readWav(readFileSync(file));
    const voice = resample(wav.samples, wav.rate, VAD_RATE);
    const quiet = Math.round((options.silence ?? 0.8) * VAD_RATE);
    const samples = new Float32Array(quiet + voice.length + quiet);
    samples.set(voice, quiet);
    let first = -1;
    let last = -1;
    voice.forEach((v, i) => {
      if (Math.abs(v) > 0.02) {
        if (first < 0) first = i;
        last = i;
      }
    });
    return { samples, speechStart: (quiet + first) / VAD_RATE, speechEnd: (quiet + last) / VAD_RATE };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const SILERO_FILE = 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx';

/** How inpage streams Silero: the preprocess its published card gives (scripts/extra-models/), read from the card itself. */
export const SILERO_PREPROCESS = (
  JSON.parse(readFileSync('scripts/extra-models/silero-vad-stream.card.json', 'utf8')) as { preprocess: VadPreprocess }
).preprocess;

/** Silero VAD v5 frame by frame with onnxruntime-node: each frame's speech probability. */
export async function referenceVad(samples: Float32Array): Promise<number[]> {
  const session = await ort.InferenceSession.create(SILERO_FILE);
  try {
    let state = new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]);
    let context = new Float32Array(CONTEXT);
    const probabilities: number[] = [];
    for (let at = 0; at + FRAME <= samples.length; at += FRAME) {
      const input = new Float32Array(CONTEXT + FRAME);
      input.set(context);
      input.set(samples.subarray(at, at + FRAME), CONTEXT);
      context = input.slice(FRAME);
      const out = await session.run({
        input: new ort.Tensor('float32', input, [1, CONTEXT + FRAME]),
        state,
        sr: new ort.Tensor('int64', BigInt64Array.of(BigInt(VAD_RATE)), []),
      });
      probabilities.push((out.output?.data as Float32Array)[0] ?? NaN);
      state = out.stateN as typeof state;
    }
    return probabilities;
  } finally {
    await session.release();
  }
}

/** onnxruntime-node's outputs for one feed of a model file. */
export async function referenceRun(
  file: string,
  feeds: Record<string, { type: 'float32'; data: number[]; dims: readonly number[] }>,
): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(file);
  try {
    const tensors = Object.fromEntries(Object.entries(feeds).map(([name, f]) => [name, new ort.Tensor(f.type, Float32Array.from(f.data), f.dims)]));
    const out = await session.run(tensors);
    return Object.fromEntries(Object.entries(out).map(([name, t]) => [name, Array.from(t.data as Float32Array)]));
  } finally {
    await session.release();
  }
}

/** Writes mono 16-bit PCM: what Chromium's fake microphone (--use-file-for-fake-audio-capture) plays. */
export function wavBytes(samples: Float32Array, rate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v * 32767))), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
