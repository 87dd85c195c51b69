/**
 * Registers the service worker that keeps the page's own files (html, js, css, worker, wasm)
 * for offline visits, and reports when it is ready. The models are cached by inpage itself.
 */
export type OfflineState = 'ready' | 'unsupported' | 'failed';

export async function enableOffline(): Promise<OfflineState> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return 'unsupported';
  try {
    await navigator.serviceWorker.register('./sw.js', { scope: './' });
    const registration = await navigator.serviceWorker.ready;
    // The worker answers once every file of the site is stored (see public/sw.js).
    const worker = registration.active;
    if (!worker) return 'failed';
    const answer = new Promise<boolean>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event: MessageEvent<unknown>) => {
        resolve(event.data === true);
      };
      worker.postMessage({ type: 'precached?' }, [channel.port2]);
      setTimeout(() => {
        resolve(false);
      }, 60_000);
    });
    return (await answer) ? 'ready' : 'failed';
  } catch {
    return 'failed';
  }
}
