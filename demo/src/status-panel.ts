/**
 * "Under the hood": which backend runs and why, each model's download, version and timings,
 * whether the page works offline, and a button to delete the downloaded models.
 */
import type { BackendReport, DownloadProgress, Inpage, ModelInfo } from 'inpage';
import { byId, formatBytes, formatMs } from './format.js';

const BACKEND_NAMES: Record<string, string> = {
  wasm: 'WebAssembly on the CPU',
  webgpu: 'WebGPU on the graphics card',
};

/** One model's row: name, state, progress bar, facts. */
export class ModelRow {
  private readonly row = document.createElement('li');
  private readonly state = document.createElement('span');
  private readonly progressText = document.createElement('span');
  private readonly bar = document.createElement('progress');
  private readonly facts = document.createElement('p');
  private info: ModelInfo | null = null;
  private lastInference: number | null = null;
  private total = 0;

  constructor(
    list: HTMLElement,
    title: string,
    readonly id: string,
  ) {
    this.row.className = 'model';
    const head = document.createElement('div');
    head.className = 'model-head';
    const name = document.createElement('span');
    name.className = 'model-name';
    name.textContent = title;
    this.state.className = 'model-state';
    this.state.textContent = 'Waiting';
    head.append(name, this.state);
    this.bar.max = 1;
    this.bar.value = 0;
    this.bar.setAttribute('aria-label', `${title} download`);
    const line = document.createElement('div');
    line.className = 'model-progress';
    this.progressText.dataset.testid = 'model-progress';
    this.progressText.dataset.model = id;
    this.progressText.textContent = 'Not started';
    line.append(this.bar, this.progressText);
    this.facts.className = 'model-facts';
    this.row.append(head, line, this.facts);
    list.append(this.row);
  }

  progress(p: DownloadProgress): void {
    this.state.textContent = p.fromCache ? 'Reading from this device' : 'Downloading';
    this.total = p.total;
    this.bar.max = Math.max(1, p.total);
    this.bar.value = p.loaded;
    this.progressText.textContent = `${formatBytes(p.loaded)} / ${formatBytes(p.total)}`;
  }

  ready(info: ModelInfo): void {
    this.info = info;
    this.row.dataset.state = 'ready';
    this.state.textContent = 'Ready';
    this.bar.max = 1;
    this.bar.value = 1;
    const total = formatBytes(Math.max(this.total, info.bytesDownloaded));
    this.progressText.textContent = info.fromCache ? `${total} / ${total} · stored on this device` : `${total} / ${total} · downloaded`;
    this.renderFacts();
  }

  failed(message: string): void {
    this.row.dataset.state = 'error';
    this.state.textContent = 'Unavailable';
    this.progressText.textContent = message;
  }

  inference(ms: number): void {
    this.lastInference = ms;
    this.renderFacts();
  }

  refreshBackend(backend: string): void {
    if (this.info) this.info = { ...this.info, backend: backend === 'webgpu' ? 'webgpu' : 'wasm' };
    this.renderFacts();
  }

  private renderFacts(): void {
    const info = this.info;
    if (!info) return;
    const parts = [`v${info.version}`, `ready in ${formatMs(info.loadMs)}`];
    if (this.lastInference !== null) parts.push(`last answer in ${formatMs(this.lastInference)}`);
    // Registries name metrics after their test set ("mnist-test-accuracy"); show the first accuracy.
    const accuracy = Object.entries(info.metrics).find(([name, value]) => /accuracy/i.test(name) && value > 0 && value <= 1)?.[1];
    if (accuracy !== undefined) parts.push(`${(accuracy * 100).toFixed(1)}% accurate on held-out data`);
    this.facts.textContent = parts.join(' · ');
  }
}

export function showBackend(report: BackendReport): void {
  const view = byId('backend', HTMLElement);
  const name = document.createElement('span');
  name.className = 'backend-name';
  name.textContent = report.name;
  const human = document.createElement('span');
  human.className = 'backend-human';
  human.textContent = BACKEND_NAMES[report.name] ?? report.name;
  const reason = document.createElement('span');
  reason.className = 'backend-reason';
  reason.textContent = report.reason;
  view.replaceChildren(name, human, reason);
}

export function showBackendError(message: string): void {
  byId('backend', HTMLElement).textContent = message;
}

/** The delete-models button: clears the SDK's cache and says what that means. */
export function wireCacheButton(inpage: Inpage): void {
  const button = byId('cache-clear', HTMLButtonElement);
  const note = byId('cache-note', HTMLParagraphElement);
  let busy = false;
  const clear = async (): Promise<void> => {
    if (busy) return;
    // aria-disabled, not disabled: a disabled button loses focus, which drops a keyboard user
    // back to the top of the page.
    busy = true;
    button.setAttribute('aria-disabled', 'true');
    try {
      const cached = await inpage.cache.list();
      const bytes = cached.reduce((sum, model) => sum + model.bytes, 0);
      await inpage.cache.clear();
      note.textContent =
        bytes > 0
          ? `Deleted ${formatBytes(bytes)}. The models keep working in this tab; reloading the page downloads them again.`
          : 'Nothing to delete: no models are stored on this device. Reloading the page downloads them again.';
    } catch {
      note.textContent = "Couldn't delete the stored models. Your browser's site settings can remove them too.";
    } finally {
      busy = false;
      button.removeAttribute('aria-disabled');
    }
  };
  button.addEventListener('click', () => {
    void clear();
  });
}
