// The benchmark's page server: the repository root on 127.0.0.1, with the validators a real
// static host sends (ETag, Last-Modified; Cache-Control: no-cache, so a warm visit revalidates
// and gets 304s), which e2e/servers/page-server.mjs leaves out. Without them a "warm" start
// would download every script and wasm file again, which no real host makes a browser do.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.map': 'application/json',
};

export function startStaticServer({ root, host = '127.0.0.1', isolate = true }) {
  const top = resolve(root);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const path = normalize(join(top, decodeURIComponent(url.pathname)));
    if (path !== top && !path.startsWith(top + sep)) return res.writeHead(403).end();
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error('not a file');
      const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      const headers = {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        etag,
        'last-modified': info.mtime.toUTCString(),
        // Cross-origin isolated, so performance.now() ticks in 5 µs rather than 100 µs steps
        // (a digit runs in ~0.1 ms). Everything is same-origin, and every engine is told 1 thread.
        ...(isolate ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {}),
      };
      if (req.headers['if-none-match'] === etag) return res.writeHead(304, headers).end();
      res.writeHead(200, { ...headers, 'content-length': String(info.size) });
      createReadStream(path).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((done) => {
    server.listen(0, host, () => {
      const { port } = server.address();
      done({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}
