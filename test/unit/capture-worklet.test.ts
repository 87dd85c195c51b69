// The capture worklet on a stand-in audio thread: it posts whole chunks of one model frame,
// one after another, however many render quanta arrive. (A posted chunk's buffer is moved
// away; the processor once sized the next chunk from the moved one, read 0, and posted empty
// chunks in an endless loop that froze the page.)
import { beforeAll, describe, expect, it } from 'vitest';

interface Processor {
  process(inputs: Float32Array[][]): boolean;
  port: { onmessage: ((event: { data: unknown }) => void) | null };
}
type ProcessorClass = new () => Processor;

const RATE = 48_000;
const posted: Float32Array[] = [];
let Capture: ProcessorClass | undefined;

beforeAll(async () => {
  const scope = globalThis as Record<string, unknown>;
  scope.sampleRate = RATE;
  scope.AudioWorkletProcessor = class {
    readonly port = {
      onmessage: null as ((event: { data: unknown }) => void) | null,
      postMessage(data: Float32Array, transfer: ArrayBuffer[]) {
        // As the browser does: the receiver gets the buffer, the sender's copy is detached.
        posted.push(structuredClone(data, { transfer }));
      },
    };
  };
  scope.registerProcessor = (_name: string, processor: ProcessorClass) => {
    Capture = processor;
  };
  // A side-effect import: the worklet is a script that registers its processor, not a module with exports.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the cast keeps tsc from typing a script with no exports as a module
  await import('../../src/worklet/capture.js' as string);
});

describe('capture worklet', () => {
  it('posts 32 ms chunks of the input, in order, for one second of render quanta', () => {
    if (!Capture) throw new Error('the worklet registered no processor');
    const processor = new Capture();
    const quanta = RATE / 128;
    for (let quantum = 0; quantum < quanta; quantum++) {
      const channel = Float32Array.from({ length: 128 }, (_, i) => quantum * 128 + i);
      expect(processor.process([[channel]])).toBe(true);
    }
    const chunkLength = Math.round(RATE * 0.032);
    expect(posted.length).toBe(Math.floor(RATE / chunkLength));
    for (const [index, chunk] of posted.entries()) {
      expect(chunk.length).toBe(chunkLength);
      expect(chunk[0]).toBe(index * chunkLength);
      expect(chunk[chunkLength - 1]).toBe((index + 1) * chunkLength - 1);
    }
  });

  it('stops processing when the page says stop', () => {
    if (!Capture) throw new Error('the worklet registered no processor');
    const processor = new Capture();
    processor.port.onmessage?.({ data: 'stop' });
    expect(processor.process([[new Float32Array(128)]])).toBe(false);
  });
});
