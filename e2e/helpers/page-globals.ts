/**
 * The globals the test pages define, as the specs read them inside `page.evaluate`: one typed
 * declaration instead of a `window as any` in each callback. Importing this module (any spec that
 * imports a helper does) puts them on `Window`. Each global exists only on the pages that define
 * it, named beside it; a spec reads only those of the page it opened.
 */
import type * as InpageModule from '../../src/index';
import type { EngineStats, Inpage, Model, VoiceStream, VoiceFrame } from '../../src/index';
import type { Harness } from '../fixtures/faults/client';
import type { DigitVariant } from './draw';

/**
 * An error as it crosses out of the page: e2e/fixtures/shared/describe-error.js turns whatever a
 * call threw into this plain object (page.evaluate cannot return an Error with its fields).
 */
export interface PageError {
  isInpageError: boolean;
  name?: string;
  code?: string;
  message: string;
  details: Record<string, unknown>;
}

/** How a promise settled within a guard (reliability/page.js `settleWithin`): a hang is data, not a test timeout. */
export type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; error: PageError } | { status: 'hung' };

declare global {
  interface Window {
    /** dist/inpage.iife.js: the package's exports as one global. */
    Inpage: typeof InpageModule;
    /** e2e/fixtures/shared/describe-error.js */
    describeError(error: unknown): PageError;
    /** e2e/fixtures/shared/draw-one.js: draws a "1" on the canvas and returns it. */
    drawDigitOne(canvas: HTMLCanvasElement): HTMLCanvasElement;
    /** e2e/fixtures/faults/harness.js */
    h: Harness;
    /** e2e/fixtures/reliability/page.js: null when the call succeeded. */
    errorOf(promise: Promise<unknown>): Promise<PageError | null>;
    settleWithin<T>(promise: Promise<T>, guardMs: number): Promise<Settled<T>>;
    plainCanvas(width: number, height: number, fill?: string | null): HTMLCanvasElement;
    /** Not `frames`: that is the DOM's own. */
    frameCount: { count: number; running: boolean };
    startFrameCounter(): void;
    stopFrameCounter(): void;
    /** Frames counted while `work` runs, and how it settled. */
    framesDuring<T>(work: () => T | Promise<T>, guardMs: number): Promise<{ outcome: Settled<Awaited<T>>; frames: number }>;
    heapBytes(): number | null;
    collect(): boolean;

    /** e2e/helpers/draw.ts installDigitDrawing(page) */
    drawDigit(canvas: HTMLCanvasElement, digit: number, variant?: DigitVariant): HTMLCanvasElement;
    digitCanvas(digit: number, variant?: DigitVariant): HTMLCanvasElement;

    /** e2e/fixtures/any-model/{iife,esm}.html: the SDK, from the <script> or the ES module build. */
    sdk: typeof InpageModule;
    /** e2e/fixtures/any-model/page.js */
    drawLine(text: string, rotated: boolean, width?: number, height?: number): HTMLCanvasElement;
    directionFeed(canvas: HTMLCanvasElement): InpageModule.TensorOf<'float32'>;
    vadFrames(model: Model, samples: Float32Array): Promise<number[]>;
    /** e2e/fixtures/any-model/stream.js */
    pushInChunks(stream: VoiceStream, samples: Float32Array, sizes: number[]): Promise<VoiceFrame[]>;
    recordEvents(target: EventTarget): { type: 'speechstart' | 'speechend'; time: number }[];
    /** e2e/fixtures/any-model/listen.js: listen() on an oscillator for `ms`, and the CSP violations seen. */
    listenToTone(options: { registry: string; worker: boolean; ms: number }): Promise<{
      frames: number;
      framesAfterStop: number;
      ordered: boolean;
      finite: boolean;
      tracks: string[];
    }>;
    violations: string[];

    /** Set by e2e/reliability-load.spec.ts: the soak's instance, models and loop. */
    soak: {
      inpage: Inpage;
      digits: Model;
      second: Model;
      text: string | null;
      run(count: number, parallel: number): Promise<{ failures: number; maxPending: number; maxSessions: number }>;
    };
    /** Set by e2e/reliability-load.spec.ts: load/dispose cycles. */
    cycles: { inpage: Inpage; run(count: number): Promise<{ failures: string[]; sessionsAfterEach: number[] }> };
    /** Set by e2e/threads-memory.spec.ts's init script: Workers the page started and ended. */
    workerCounts: { started: number; ended: number };
  }
}

export type { EngineStats };
