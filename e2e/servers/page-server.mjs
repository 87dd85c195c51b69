// Serves the repository's pages for the browser tests on 127.0.0.1: dist/, site/ and
// e2e/fixtures/. A page asked for with `?csp=strict` is served with a strict
// Content-Security-Policy, so the <script> embed is tested the way a careful site would host it.
// A page asked for with `?isolated=1` is cross-origin isolated (COOP + COEP), and so is everything
// its browser context asks for after it (a cookie says so): its worker, and onnxruntime's thread
// workers inside that worker, must say require-corp too, or the browser refuses to start them.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/** No eval, no inline script; wasm compilation allowed; workers and models from allowed origins only. */
export function strictCsp(connectSources) {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    'report-uri /__csp-report',
  ].join('; ');
}

const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

const ISOLATION_COOKIE = 'inpage-isolated=1';

/** `isolate`: every response cross-origin isolated (the demo's server), not only `?isolated=1` pages. */
export function startPageServer({ root, port = 4173, host = '127.0.0.1', cspConnect = [], isolate = false } = {}) {
  const top = resolve(root);
  const cspReports = [];
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', `http://${host}`);
    if (url.pathname === '/__csp-report') {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        cspReports.push(body);
        response.writeHead(204).end();
      });
      return;
    }
    if (url.pathname === '/__csp-reports') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(cspReports));
      return;
    }
    let path = normalize(join(top, decodeURIComponent(url.pathname)));
    if (path !== top && !path.startsWith(top + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      let info = await stat(path);
      if (info.isDirectory()) {
        path = join(path, 'index.html');
        info = await stat(path);
      }
      const headers = {
        'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
        'content-length': String(info.size),
        'cache-control': 'no-cache',
      };
      if (url.searchParams.get('csp') === 'strict') headers['content-security-policy'] = strictCsp(cspConnect);
      if (isolate) Object.assign(headers, ISOLATION_HEADERS);
      else if (url.searchParams.get('isolated') === '1')
        Object.assign(headers, ISOLATION_HEADERS, { 'set-cookie': `${ISOLATION_COOKIE}; Path=/; SameSite=Strict` });
      else if (request.headers.cookie?.split(/;\s*/).includes(ISOLATION_COOKIE)) Object.assign(headers, ISOLATION_HEADERS);
      response.writeHead(200, headers);
      createReadStream(path).pipe(response);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((done) => {
    server.listen(port, host, () => done({ url: `http://${host}:${port}`, close: () => server.close() }));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const port = Number(process.env.INPAGE_PAGE_PORT ?? 4173);
  const cdnPort = Number(process.env.INPAGE_CDN_PORT ?? 4174);
  const root = process.argv[2] ?? fileURLToPath(new URL('../..', import.meta.url));
  const { url } = await startPageServer({ root, port, cspConnect: [`http://127.0.0.1:${cdnPort}`] });
  console.log(`pages: ${url} (serving ${root})`);
}
