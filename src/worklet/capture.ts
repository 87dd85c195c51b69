/**
 * The microphone's side of `listen()`: an AudioWorklet processor that runs on the browser's
 * audio thread, copies the input's first channel into chunks of about one model frame and
 * posts each chunk (its buffer moved, not copied) to the page, which pushes it to the stream.
 * Nothing else: no resampling and no model here, so the audio thread never waits.
 * Owns: the chunk being filled on the audio thread, until it is posted.
 */

// The AudioWorkletGlobalScope is not in TypeScript's DOM library; what this file uses of it:
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown });
}
declare function registerProcessor(name: string, processor: new (options?: { processorOptions?: unknown }) => AudioWorkletProcessor): void;

/** Seconds of audio per posted chunk: one 32 ms model frame, so a frame waits on at most one chunk. */
const CHUNK_SECONDS = 0.032;

class CaptureProcessor extends AudioWorkletProcessor {
  // Kept apart from the chunk: posting moves the chunk's buffer away, and a moved array's length reads 0.
  private readonly chunkLength = Math.max(128, Math.round(sampleRate * CHUNK_SECONDS));
  private chunk = new Float32Array(this.chunkLength);
  private filled = 0;
  private stopped = false;

  constructor(options?: { processorOptions?: unknown }) {
    super(options);
    this.port.onmessage = (event: MessageEvent<unknown>) => {
      if (event.data === 'stop') this.stopped = true;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    let from = 0;
    while (from < channel.length) {
      const take = Math.min(channel.length - from, this.chunkLength - this.filled);
      this.chunk.set(channel.subarray(from, from + take), this.filled);
      this.filled += take;
      from += take;
      if (this.filled === this.chunkLength) {
        this.port.postMessage(this.chunk, [this.chunk.buffer]);
        this.chunk = new Float32Array(this.chunkLength);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('inpage-capture', CaptureProcessor);
