/**
 * The globals the test pages define, as the specs read them inside `page.evaluate`: one typed
 * declaration instead of a `window as any` in each callback. Importing this module (any spec that
 * imports a helper does) puts them on `Window`. Each global exists only on the pages that define
 * it, named beside it; a spec reads only those of the page it opened.
 */
import type * as InpageModule from '../../src/index';
import type { Harness } from '../fixtures/faults/client';

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
  }
}
