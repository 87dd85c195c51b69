// The demo's service worker: keeps the page's own files so it opens offline after one visit.
// Models are not handled here: inpage caches them itself, verified by sha256.
//   - install: store every file of the built site (the list is written in by build-demo.mjs)
//   - page loads (navigations): network first, so a new deploy shows at once; the stored copy offline
//   - assets/: Vite names them by content hash, so a stored copy is never stale (cache first)
//   - other files of the site (favicon...): the stored copy at once, refreshed in the background
const VERSION = 'dev';
const PRECACHE = [];
const PREFIX = 'inpage-demo-';
const CACHE = PREFIX + VERSION;
const NAVIGATION_TIMEOUT_MS = 4000;

const scope = () => new URL(self.registration.scope);
const precacheUrls = () => PRECACHE.map((path) => new URL(path, scope()).href);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(precacheUrls().map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      // Only our own old versions: the Cache Storage of this origin also holds inpage's models.
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (!port || !event.data || event.data.type !== 'precached?') return;
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.all(precacheUrls().map((url) => cache.match(url))))
      .then((found) => port.postMessage(found.every(Boolean)))
      .catch(() => port.postMessage(false)),
  );
});

function handled(request) {
  if (request.method !== 'GET' || request.headers.has('range')) return false;
  const url = new URL(request.url);
  const root = scope();
  // Same origin, inside the site, and not a model file (inpage's cache has those).
  return url.origin === root.origin && url.pathname.startsWith(root.pathname) && !url.pathname.includes('/models/');
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), NAVIGATION_TIMEOUT_MS)),
    ]);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const stored =
      (await cache.match(request, { ignoreSearch: true })) ?? (await cache.match(new URL('index.html', scope()).href));
    if (stored) return stored;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(request);
  if (stored) return stored;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(event) {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(event.request);
  const fresh = fetch(event.request).then(async (response) => {
    if (response.ok) await cache.put(event.request, response.clone());
    return response;
  });
  if (stored) {
    event.waitUntil(fresh.catch(() => undefined));
    return stored;
  }
  return fresh;
}

self.addEventListener('fetch', (event) => {
  if (!handled(event.request)) return;
  if (event.request.mode === 'navigate') event.respondWith(networkFirst(event.request));
  else if (new URL(event.request.url).pathname.includes('/assets/')) event.respondWith(cacheFirst(event.request));
  else event.respondWith(staleWhileRevalidate(event));
});
