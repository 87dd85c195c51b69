/**
 * The "Draw a digit" card: live predictions while drawing. At most one prediction is in flight;
 * new ink only marks the picture dirty, and the next frame after the running prediction settles
 * reads the canvas again. So predictions never queue up and the pointer never waits for them.
 */
import type { DigitPrediction, DigitsModel } from 'inpage';
import { DrawingPad } from './drawing-pad.js';
import { byId, showCardError, errorCode, friendlyError, percent } from './format.js';

export interface DigitsPanelHooks {
  /** Milliseconds the last prediction took, as seen by the page (worker round trip included). */
  onInference(ms: number): void;
}

export class DigitsPanel {
  private readonly pad: DrawingPad;
  private readonly predictionView = byId('digit-prediction', HTMLParagraphElement);
  private readonly confidenceView = byId('digit-confidence', HTMLParagraphElement);
  private readonly announce = byId('digit-announce', HTMLParagraphElement);
  private readonly hint = byId('pad-hint', HTMLParagraphElement);
  private readonly errorView = byId('digits-error', HTMLParagraphElement);
  private readonly bars: HTMLElement[] = [];
  private model: DigitsModel | null = null;
  private dirty = false;
  private frame = 0;
  private inFlight = false;
  private strokeEnded = false;
  private latest: DigitPrediction | null = null;
  /** Counts changes to the picture; the canvas carries it and the one last shown (test hooks). */
  private inkVersion = 0;

  constructor(private readonly hooks: DigitsPanelHooks) {
    const canvas = byId('digit-canvas', HTMLCanvasElement);
    this.pad = new DrawingPad(canvas, {
      onInk: () => {
        this.markDirty();
      },
      onStrokeEnd: () => {
        this.strokeEnded = true;
        this.markDirty();
      },
    });
    this.buildBars();
    byId('digit-clear', HTMLButtonElement).addEventListener('click', () => {
      this.clear();
    });
    canvas.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' || event.key === 'Delete' || event.key === 'Backspace') {
        event.preventDefault();
        this.clear();
      }
    });
    let width = canvas.getBoundingClientRect().width;
    new ResizeObserver(() => {
      const now = canvas.getBoundingClientRect().width;
      // Resizing the backing store wipes it, so only do it when the size really changed.
      if (Math.abs(now - width) < 1) return;
      width = now;
      this.pad.resize();
      this.clear();
    }).observe(canvas);
    this.showEmpty();
  }

  setModel(model: DigitsModel): void {
    this.model = model;
    this.markDirty();
  }

  showError(error: unknown): void {
    showCardError(this.errorView, friendlyError(error, 'handwriting model'));
    this.confidenceView.textContent = 'The model is not available';
  }

  private buildBars(): void {
    const list = byId('digit-probabilities', HTMLOListElement);
    for (let digit = 0; digit < 10; digit++) {
      const item = document.createElement('li');
      item.className = 'bar';
      item.dataset.digit = String(digit);
      const track = document.createElement('span');
      track.className = 'bar-track';
      const fill = document.createElement('span');
      fill.className = 'bar-fill';
      track.append(fill);
      const label = document.createElement('span');
      label.className = 'bar-label';
      label.textContent = String(digit);
      const value = document.createElement('span');
      value.className = 'visually-hidden';
      item.append(track, label, value);
      list.append(item);
      this.bars.push(item);
    }
  }

  private clear(): void {
    this.pad.clear();
    this.latest = null;
    this.dirty = false;
    this.inkVersion++;
    this.pad.canvas.dataset.ink = String(this.inkVersion);
    this.markShown(this.inkVersion);
    this.showEmpty();
  }

  private markDirty(): void {
    this.dirty = true;
    this.inkVersion++;
    this.pad.canvas.dataset.ink = String(this.inkVersion);
    if (this.frame === 0 && !this.inFlight) this.frame = requestAnimationFrame(() => void this.run());
  }

  private async run(): Promise<void> {
    this.frame = 0;
    if (!this.dirty || this.inFlight || !this.model) return;
    this.dirty = false;
    if (!this.pad.hasInk) {
      this.showEmpty();
      this.markShown(this.inkVersion);
      return;
    }
    const version = this.inkVersion;
    const announce = this.strokeEnded;
    this.strokeEnded = false;
    this.inFlight = true;
    const started = performance.now();
    try {
      // predict() reads the canvas synchronously, so later ink waits for the next round.
      const result = await this.model.predict(this.pad.canvas);
      this.hooks.onInference(performance.now() - started);
      // A clear while this ran means the result describes a picture that is gone.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the page may have been cleared during the await
      if (this.pad.hasInk) this.show(result, announce);
      this.markShown(version);
      this.errorView.hidden = true;
    } catch (error) {
      if (errorCode(error) === 'INPUT_INVALID') this.showEmpty();
      else this.showError(error);
      this.markShown(version);
    } finally {
      this.inFlight = false;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- new ink may have come during the await
      if (this.dirty) this.markDirty();
    }
  }

  /** Test hook: the picture version whose result is on screen (never goes back). */
  private markShown(version: number): void {
    const canvas = this.pad.canvas;
    canvas.dataset.shown = String(Math.max(version, Number(canvas.dataset.shown ?? 0)));
  }

  private showEmpty(): void {
    this.hint.hidden = this.pad.hasInk;
    this.predictionView.textContent = '';
    this.predictionView.dataset.state = 'empty';
    this.confidenceView.textContent = this.model ? 'Draw a digit on the pad' : 'Getting the model ready…';
    for (const bar of this.bars) this.setBar(bar, 0, false);
  }

  private show(result: DigitPrediction, announce: boolean): void {
    this.latest = result;
    this.hint.hidden = true;
    const confidence = result.probabilities[result.label] ?? 0;
    this.predictionView.textContent = String(result.label);
    this.predictionView.dataset.state = confidence < 0.5 ? 'unsure' : 'sure';
    this.confidenceView.textContent = confidence < 0.5 ? `Maybe a ${result.label}? ${percent(confidence)} sure` : `${percent(confidence)} sure`;
    this.bars.forEach((bar, digit) => {
      this.setBar(bar, result.probabilities[digit] ?? 0, digit === result.label);
    });
    if (announce) this.announce.textContent = `Looks like a ${result.label}, ${percent(confidence)} sure.`;
  }

  private setBar(bar: HTMLElement, probability: number, top: boolean): void {
    bar.style.setProperty('--p', String(Math.max(0, Math.min(1, probability))));
    bar.classList.toggle('is-top', top);
    const value = bar.lastElementChild;
    if (value) value.textContent = `: ${percent(probability)}`;
  }

  /** The last prediction shown, for the status panel and tests. */
  get current(): DigitPrediction | null {
    return this.latest;
  }
}
