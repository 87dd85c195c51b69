// The page side of a voice stream with a stand-in engine: events follow the order of the pushes
// whatever order the answers come in; reset() waits for earlier pushes before it forgets the
// speech decision; a push that fails while another is pending is the caller's to catch, never an
// unhandled rejection. And the engine side (the VAD runner) on a session that fails part-way:
// the stream stays exactly after the last frame that ran.
import { describe, expect, it } from 'vitest';
import { InpageError } from '../../src/errors.js';
import { VoiceStream } from '../../src/client/voice-stream.js';
import type { AudioTaskInput, TaskOutput } from '../../src/protocol/task-io.js';
import type { ModelSession } from '../../src/runtime/model-session.js';
import type { VoiceFrame } from '../../src/tasks/speech-segments.js';
import { createVadRunner, MAX_STREAMS, type VadPreprocess } from '../../src/tasks/voice-activity.js';

/** A stand-in engine: each request waits until the test answers it. */
function manualEngine() {
  const requests: { input: AudioTaskInput; answer: (frames: VoiceFrame[]) => void; fail: (error: Error) => void }[] = [];
  const send = (input: AudioTaskInput) =>
    new Promise<TaskOutput>((resolve, reject) => {
      requests.push({
        input,
        answer: (frames) => {
          resolve({ task: 'voice-activity', result: { frames } });
        },
        fail: reject,
      });
    });
  return { send, requests };
}

const frames = (from: number, probabilities: number[]): VoiceFrame[] =>
  probabilities.map((probability, i) => ({ start: (from + i) * 0.1, end: (from + i + 1) * 0.1, probability }));

function record(stream: VoiceStream): string[] {
  const events: string[] = [];
  for (const type of ['speechstart', 'speechend']) {
    stream.addEventListener(type, (event) => events.push(`${type}@${(event as CustomEvent<{ time: number }>).detail.time.toFixed(1)}`));
  }
  stream.addEventListener('frame', (event) => events.push(`frame@${(event as CustomEvent<VoiceFrame>).detail.start.toFixed(1)}`));
  return events;
}

describe('VoiceStream', () => {
  it('fires events in the order of the pushes, however the answers come', async () => {
    const engine = manualEngine();
    const stream = new VoiceStream(engine.send, 16_000, { minSpeechMs: 100, minSilenceMs: 100 });
    const events = record(stream);
    const first = stream.push(new Float32Array(1600));
    const second = stream.push(new Float32Array(1600));
    engine.requests[1]?.answer(frames(1, [0.1]));
    engine.requests[0]?.answer(frames(0, [0.9]));
    await Promise.all([first, second]);
    expect(events).toEqual(['frame@0.0', 'speechstart@0.0', 'frame@0.1', 'speechend@0.1']);
  });

  it('reset() lets earlier pushes be heard first, then ends speech and starts afresh', async () => {
    const engine = manualEngine();
    const stream = new VoiceStream(engine.send, 16_000, { minSpeechMs: 100, minSilenceMs: 100 });
    const events = record(stream);
    const pushed = stream.push(new Float32Array(1600));
    const reset = stream.reset();
    // The push's answer comes after reset() was called: its speech still belongs to the old clock.
    engine.requests[0]?.answer(frames(0, [0.9, 0.9]));
    engine.requests[1]?.answer([]);
    await Promise.all([pushed, reset]);
    expect(events).toEqual(['frame@0.0', 'speechstart@0.0', 'frame@0.1', 'speechend@0.2']);
    expect(stream.inSpeech).toBe(false);
    expect(engine.requests[1]?.input.op).toBe('reset');
    // The next push starts the clock at 0 on a fresh state.
    const next = stream.push(new Float32Array(160));
    expect(engine.requests[2]?.input).toMatchObject({ op: 'push', offset: 0, continues: false });
    engine.requests[2]?.answer([]);
    await next;
  });

  it('a push that fails while an earlier one is pending rejects only its own promise, with its code', async () => {
    const engine = manualEngine();
    const stream = new VoiceStream(engine.send, 16_000);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const first = stream.push(new Float32Array(512));
      const second = stream.push(new Float32Array(512));
      engine.requests[1]?.fail(new InpageError('DISPOSED', 'gone'));
      await new Promise((resolve) => setTimeout(resolve, 10));
      engine.requests[0]?.answer(frames(0, [0.2]));
      await expect(first).resolves.toHaveLength(1);
      await expect(second).rejects.toMatchObject({ code: 'DISPOSED' });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses more than 10 minutes of audio in one push, before anything is sent', async () => {
    const engine = manualEngine();
    const stream = new VoiceStream(engine.send, 16_000, { sampleRate: 8000 });
    await expect(stream.push(new Float32Array(8000 * 601))).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    expect(engine.requests).toHaveLength(0);
  });
});

describe('VAD runner on a session that fails part-way', () => {
  const card: VadPreprocess = {
    kind: 'vad',
    sampleRate: 16_000,
    frameSamples: 4,
    contextSamples: 2,
    audioInput: 'input',
    stateInput: 'state',
    probabilityOutput: 'output',
    stateOutput: 'stateN',
    stateShape: [1],
  };

  /** Counts its runs in the state; `failOn` runs throw. Probability: the frame's first new sample. */
  function countingSession(failOn: Set<number>): ModelSession & { runs: number } {
    const session = {
      runs: 0,
      inputNames: ['input', 'state'],
      outputNames: ['output', 'stateN'],
      async run(feeds: Record<string, { data: unknown }>) {
        session.runs += 1;
        if (failOn.has(session.runs)) throw new InpageError('MODEL_INVALID', `run ${session.runs} failed`);
        const input = feeds.input?.data as Float32Array;
        const state = feeds.state?.data as Float32Array;
        return {
          output: { type: 'float32' as const, data: Float32Array.of(input[2] ?? 0), dims: [1, 1] },
          stateN: { type: 'float32' as const, data: Float32Array.of((state[0] ?? 0) + 1), dims: [1] },
        };
      },
      release: async () => undefined,
    };
    return session;
  }

  const push = (samples: number[]): AudioTaskInput => ({
    kind: 'audio',
    stream: 's',
    samples: Float32Array.from(samples),
    sampleRate: 16_000,
    op: 'push',
    offset: 0,
    continues: false,
  });

  it('keeps the frames that ran: the next push goes on after them, on the clock', async () => {
    const runner = createVadRunner(card);
    const session = countingSession(new Set([2]));
    // Two frames (0.1 and 0.5 start each); the second run fails.
    await expect(runner.run(session, [runner.prepare(push([0.1, 0, 0, 0, 0.5, 0, 0, 0]))])).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    const [next] = await runner.run(session, [runner.prepare(push([0.9, 0, 0, 0]))]);
    // The failed frame is run again (it is still pending), then the new one: never the first frame twice.
    expect(next?.result.frames.map((f) => [f.start * 16_000, f.probability])).toEqual([
      [4, 0.5],
      [8, Math.fround(0.9)],
    ]);
  });

  it('a replayed request (after a WebGPU loss) takes its samples once and runs no frame twice', async () => {
    const runner = createVadRunner(card);
    const session = countingSession(new Set([2]));
    const request = runner.prepare(push([0.1, 0, 0, 0, 0.5, 0, 0, 0]));
    await expect(runner.run(session, [request])).rejects.toThrow();
    const [replayed] = await runner.run(session, [request]);
    expect(replayed?.result.frames.map((f) => f.start * 16_000)).toEqual([0, 4]);
    expect(session.runs).toBe(3);
  });
});

describe('VAD runner with streams never closed', () => {
  it(`keeps at most ${MAX_STREAMS} states: the least recently pushed is forgotten, and its next push says reset`, async () => {
    const card: VadPreprocess = {
      kind: 'vad',
      sampleRate: 16_000,
      frameSamples: 4,
      contextSamples: 0,
      audioInput: 'input',
      stateInput: 'state',
      probabilityOutput: 'output',
      stateOutput: 'stateN',
      stateShape: [1],
    };
    const session: ModelSession = {
      inputNames: ['input', 'state'],
      outputNames: ['output', 'stateN'],
      run: async () => ({
        output: { type: 'float32', data: Float32Array.of(0.5), dims: [1, 1] },
        stateN: { type: 'float32', data: Float32Array.of(0), dims: [1] },
      }),
      release: async () => undefined,
    };
    const runner = createVadRunner(card);
    const push = (stream: string, continues: boolean): AudioTaskInput => ({
      kind: 'audio',
      stream,
      samples: new Float32Array(4),
      sampleRate: 16_000,
      op: 'push',
      offset: continues ? 1 : 0,
      continues,
    });
    const frameOf = async (stream: string, continues: boolean) =>
      (await runner.run(session, [runner.prepare(push(stream, continues))]))[0]?.result.frames[0];
    await frameOf('first', false);
    for (let i = 0; i < MAX_STREAMS; i++) await frameOf(`s${i}`, false);
    // 'first' was the least recently pushed: its state is gone.
    expect((await frameOf('first', true))?.reset).toBe(true);
    // The most recent ones are still there.
    expect((await frameOf(`s${MAX_STREAMS - 1}`, true))?.reset).toBeUndefined();
  });
});
