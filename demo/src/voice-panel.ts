/**
 * The voice card: "Is anyone speaking?" The listen button opens the microphone through
 * `model.listen()`; the meter follows each frame's speech probability and every stretch of
 * speech joins the timeline. The audio never leaves the tab: the model runs in inpage's worker.
 */
import type { Listener, Model, VoiceFrame } from 'inpage';
import { byId, friendlyError, showCardError } from './format.js';

const seconds = (time: number): string => `${time.toFixed(1)} s`;

export class VoicePanel {
  private readonly button = byId('voice-toggle', HTMLButtonElement);
  private readonly meter = byId('voice-meter', HTMLDivElement);
  private readonly fill = byId('voice-meter-fill', HTMLSpanElement);
  private readonly state = byId('voice-state', HTMLParagraphElement);
  private readonly segments = byId('voice-segments', HTMLOListElement);
  private readonly errorView = byId('voice-error', HTMLParagraphElement);
  private model: Model<'voice-activity'> | null = null;
  private listener: Listener | null = null;
  private current: HTMLLIElement | null = null;
  private busy = false;

  constructor() {
    this.button.disabled = true;
    this.button.addEventListener('click', () => void (this.listener ? this.stop() : this.start()));
  }

  setModel(model: Model<'voice-activity'>): void {
    this.model = model;
    this.button.disabled = false;
  }

  showError(error: unknown): void {
    showCardError(this.errorView, friendlyError(error, 'voice model'));
  }

  private async start(): Promise<void> {
    if (!this.model || this.busy) return;
    this.busy = true;
    this.errorView.hidden = true;
    this.setState('Asking for the microphone…');
    try {
      const listener = await this.model.listen();
      this.listener = listener;
      listener.addEventListener('frame', (event) => {
        this.showFrame((event as CustomEvent<VoiceFrame>).detail);
      });
      listener.addEventListener('speechstart', (event) => {
        this.speechStarted((event as CustomEvent<{ time: number }>).detail.time);
      });
      listener.addEventListener('speechend', (event) => {
        this.speechEnded((event as CustomEvent<{ time: number }>).detail.time);
      });
      this.button.textContent = 'Stop listening';
      this.button.setAttribute('aria-pressed', 'true');
      this.setState('Listening: silence');
    } catch (error) {
      this.setState('Not listening');
      this.showError(error);
    } finally {
      this.busy = false;
    }
  }

  private async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    await listener?.stop();
    this.button.textContent = 'Start listening';
    this.button.setAttribute('aria-pressed', 'false');
    this.showFrame({ start: 0, end: 0, probability: 0 });
    this.setState('Not listening');
  }

  private showFrame(frame: VoiceFrame): void {
    const value = Math.round(frame.probability * 100);
    this.fill.style.transform = `scaleX(${frame.probability})`;
    this.meter.setAttribute('aria-valuenow', String(value));
    this.meter.setAttribute('aria-valuetext', `${value} % speech`);
  }

  private speechStarted(time: number): void {
    const item = document.createElement('li');
    item.className = 'voice-segment';
    item.dataset.start = String(time);
    item.textContent = `Speech from ${seconds(time)}…`;
    this.segments.prepend(item);
    // The timeline scrolls once it is long: a keyboard can only scroll what it can focus. An
    // empty list would be a stop that does nothing, so it joins the tab order with its first item.
    this.segments.tabIndex = 0;
    this.current = item;
    this.setState('Listening: someone is speaking');
  }

  private speechEnded(time: number): void {
    const item = this.current;
    this.current = null;
    if (item) {
      item.dataset.end = String(time);
      item.textContent = `Speech from ${seconds(Number(item.dataset.start))} to ${seconds(time)}`;
    }
    if (this.listener) this.setState('Listening: silence');
  }

  private setState(text: string): void {
    this.state.textContent = text;
  }
}
