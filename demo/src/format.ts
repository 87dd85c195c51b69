/** Small formatting helpers for the status panel and results. */
import { InpageError } from 'inpage';

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** What to tell a visitor when something fails: plain words, and what they can do about it. */
export function friendlyError(error: unknown, what: string): string {
  const code = error instanceof InpageError ? error.code : 'INTERNAL';
  switch (code) {
    case 'NETWORK':
    case 'TIMEOUT':
      return navigator.onLine
        ? `Couldn't download the ${what}. The model server isn't answering; please try again in a moment.`
        : `You're offline, and the ${what} hasn't been downloaded yet. Connect once and it will work offline from then on.`;
    case 'HTTP':
    case 'NOT_FOUND':
      return `The ${what} isn't available from the model server right now.`;
    case 'INTEGRITY':
    case 'MANIFEST_INVALID':
    case 'MODEL_INVALID':
      return `The ${what} arrived damaged, so it wasn't used. Reloading usually fixes this.`;
    case 'BACKEND_UNAVAILABLE':
      return `This browser can't run the ${what}: it needs WebAssembly or WebGPU.`;
    case 'QUOTA':
      return `Your device is out of storage space for the ${what}.`;
    case 'WORKER_CRASHED':
      return `The ${what} stopped unexpectedly. It restarts on the next try.`;
    case 'MICROPHONE_DENIED':
      return 'Microphone access was refused, so nothing can be heard. Allow the microphone for this site in your browser to try it.';
    case 'MICROPHONE_UNAVAILABLE':
      return 'No microphone could be used: none is connected, another app holds it, or this browser cannot record here.';
    default:
      return `Something went wrong with the ${what}. Reloading the page should help.`;
  }
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof InpageError ? error.code : undefined;
}

export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing from the page`);
  return element;
}

/** Shows a friendly error in a card, with a button that tries again by reloading the page. */
export function showCardError(view: HTMLElement, message: string): void {
  const text = document.createElement('span');
  text.textContent = message;
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'link-button';
  retry.textContent = 'Try again';
  retry.addEventListener('click', () => {
    window.location.reload();
  });
  view.replaceChildren(text, ' ', retry);
  view.hidden = false;
}
