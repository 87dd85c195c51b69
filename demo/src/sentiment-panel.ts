/**
 * The sentiment card: the verdict follows the text as it is typed, debounced so a burst of
 * keystrokes is one prediction, and stale answers (for text since changed) are dropped.
 */
import type { TextClassification, TextModel } from 'inpage';
import { byId, showCardError, friendlyError, percent } from './format.js';

const DEBOUNCE_MS = 150;

const EXAMPLES: readonly string[] = [
  'The battery lasts all week. Love it!',
  'Cold food and a rude waiter.',
  'This app saves me so much time.',
  'A boring film, far too long.',
  'Fast delivery and a perfect fit.',
  'The update broke everything.',
];

export interface SentimentPanelHooks {
  onInference(ms: number): void;
}

export class SentimentPanel {
  private readonly input = byId('sentiment-input', HTMLTextAreaElement);
  private readonly verdict = byId('sentiment-verdict', HTMLDivElement);
  private readonly label = byId('sentiment-label', HTMLSpanElement);
  private readonly score = byId('sentiment-score', HTMLSpanElement);
  private readonly meter = byId('sentiment-meter', HTMLSpanElement);
  private readonly note = byId('sentiment-note', HTMLParagraphElement);
  private readonly errorView = byId('sentiment-error', HTMLParagraphElement);
  private model: TextModel | null = null;
  private timer = 0;
  private running: AbortController | null = null;

  constructor(private readonly hooks: SentimentPanelHooks) {
    this.input.addEventListener('input', () => {
      this.schedule();
    });
    const list = byId('sentiment-examples', HTMLUListElement);
    for (const text of EXAMPLES) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'chip';
      button.textContent = text;
      button.addEventListener('click', () => {
        this.input.value = text;
        this.input.focus();
        this.schedule(0);
      });
      item.append(button);
      list.append(item);
    }
    this.showEmpty();
  }

  setModel(model: TextModel): void {
    this.model = model;
    this.showEmpty();
    this.schedule(0);
  }

  showError(error: unknown): void {
    showCardError(this.errorView, friendlyError(error, 'sentiment model'));
    this.label.textContent = 'Not available';
    this.verdict.dataset.state = 'empty';
  }

  private schedule(delay = DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.run(), delay);
  }

  private async run(): Promise<void> {
    const text = this.input.value.trim();
    this.running?.abort();
    this.running = null;
    if (!this.model) return;
    if (text === '') {
      this.showEmpty();
      return;
    }
    const controller = new AbortController();
    this.running = controller;
    const started = performance.now();
    try {
      const result = await this.model.predict(text, { signal: controller.signal });
      this.hooks.onInference(performance.now() - started);
      if (controller.signal.aborted || this.input.value.trim() !== text) return;
      this.show(result);
      this.errorView.hidden = true;
    } catch (error) {
      if (!controller.signal.aborted) this.showError(error);
    } finally {
      if (this.running === controller) this.running = null;
    }
  }

  private showEmpty(): void {
    this.verdict.dataset.state = 'empty';
    this.label.textContent = this.model ? 'Start typing' : 'Getting the model ready…';
    this.score.textContent = '';
    this.meter.style.setProperty('--p', '0');
    this.note.textContent = '';
  }

  private show(result: TextClassification): void {
    const positive = result.label === 'positive';
    this.verdict.dataset.state = positive ? 'positive' : 'negative';
    this.label.textContent = positive ? 'Positive' : result.label === 'negative' ? 'Negative' : result.label;
    this.score.textContent = `${percent(result.score)} confident`;
    this.meter.style.setProperty('--p', String(result.score));
    this.note.textContent = result.truncated ? 'Only the beginning of a long text was read.' : '';
  }
}
