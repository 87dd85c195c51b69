/**
 * Resamples a stream of audio that arrives in chunks of any length, giving the same samples
 * however it is cut: each output sample is the mean of the input over its own span of time
 * (area averaging, exact for the integer ratios 48 kHz → 16 kHz and 32 kHz → 16 kHz, and the
 * usual anti-aliasing box for 44.1 kHz). The position and the partial sum carry over between
 * chunks. Upsampling holds each input sample over its span.
 * Owns: one stream's position and partial sum (one StreamResampler per stream).
 */
export class StreamResampler {
  /** Input samples per output sample. */
  private readonly ratio: number;
  /** Output samples made so far; the next one ends at (made + 1) * ratio in input time. */
  private made = 0;
  /** Input samples consumed so far. */
  private consumed = 0;
  /** The integral of the input since the current output sample began. */
  private sum = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    this.ratio = fromRate / toRate;
  }

  /** Resamples the next chunk; returns the output samples it completes. */
  push(chunk: Float32Array): Float32Array {
    if (this.fromRate === this.toRate) return chunk;
    const out: number[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const value = chunk[i] ?? 0;
      let from = this.consumed + i;
      const to = from + 1;
      let edge = (this.made + 1) * this.ratio;
      // A sample may close several outputs (upsampling) or part of one.
      while (edge <= to) {
        this.sum += (edge - from) * value;
        out.push(this.sum / this.ratio);
        this.sum = 0;
        from = edge;
        this.made += 1;
        edge = (this.made + 1) * this.ratio;
      }
      this.sum += (to - from) * value;
    }
    this.consumed += chunk.length;
    return Float32Array.from(out);
  }
}
