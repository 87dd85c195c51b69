#!/usr/bin/env node
// A small, real CDN for development and tests: plain node:http, no dependencies.
// Serves <root> (default public/models) under /models/ with CORS, ETag/304, single Range/206,
// gzip for JSON, and fault switches the reliability tests flip over HTTP:
//   POST   /__control/faults    {"path","fault","bytes","status","retryAfter","ms","times"}
//   DELETE /__control/faults    clear all faults
//   GET    /__control/log       request log (JSON array); DELETE clears it
//   PUT    /__control/override?path=/models/registry.json   serve the request body instead
//   DELETE /__control/override[?path=...]                   clear one or all overrides
// Faults: drop-after (send N bytes then cut the connection), status (answer `status`, optional
// Retry-After), delay (wait ms, then serve), stall (send N bytes then go silent), wrong-bytes
// (same length, corrupted), html (an HTML page with 200), no-cors (omit CORS headers), truncate
// (serve only the first N bytes as if that were the whole file).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};
const FAULTS = new Set(['drop-after', 'status', 'delay', 'stall', 'wrong-bytes', 'html', 'no-cors', 'truncate']);
const PREFIX = '/models/';

function corsHeaders() {
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, HEAD, OPTIONS, POST, PUT, DELETE',
    'access-control-allow-headers': 'range, if-none-match, content-type, accept',
    'access-control-expose-headers': 'content-length, content-range, etag, accept-ranges, retry-after',
    'access-control-max-age': '600',
  };
}

function parseRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // multi-range or garbage: ignore, serve 200
  let start;
  let end;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Starts the CDN. Resolves once listening.
 * @param {{ root?: string, port?: number, host?: string, quiet?: boolean }} [options]
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startCdnServer(options = {}) {
  const root = path.resolve(options.root ?? 'public/models');
  const host = options.host ?? '127.0.0.1';
  const quiet = options.quiet ?? false;
  let faults = [];
  const overrides = new Map();
  const log = [];
  const sockets = new Set();

  function takeFault(urlPath, method) {
    const fault = faults.find((f) => f.path === '*' || urlPath.startsWith(f.path));
    if (!fault || (method === 'OPTIONS' && fault.fault !== 'no-cors')) return null;
    if (fault.times !== undefined && --fault.times <= 0) faults = faults.filter((f) => f !== fault);
    return fault;
  }

  async function control(req, res, url) {
    const json = (status, body) => {
      res.writeHead(status, { ...corsHeaders(), 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') return json(204, {});
    if (url.pathname === '/__control/faults') {
      if (req.method === 'DELETE') {
        faults = [];
        return json(200, { faults });
      }
      if (req.method === 'GET') return json(200, { faults });
      if (req.method === 'POST') {
        let spec;
        try {
          spec = JSON.parse((await readBody(req)).toString('utf8'));
        } catch {
          return json(400, { error: 'body must be JSON' });
        }
        if (typeof spec?.path !== 'string' || !FAULTS.has(spec.fault)) {
          return json(400, { error: `need {"path", "fault"} with fault one of ${[...FAULTS].join(', ')}` });
        }
        faults.push(spec);
        return json(200, { faults });
      }
    }
    if (url.pathname === '/__control/log') {
      if (req.method === 'DELETE') log.length = 0;
      return json(200, log);
    }
    if (url.pathname === '/__control/override') {
      const target = url.searchParams.get('path');
      if (req.method === 'PUT' && target) {
        overrides.set(target, await readBody(req));
        return json(200, { overridden: [...overrides.keys()] });
      }
      if (req.method === 'DELETE') {
        if (target) overrides.delete(target);
        else overrides.clear();
        return json(200, { overridden: [...overrides.keys()] });
      }
    }
    return json(404, { error: 'unknown control endpoint' });
  }

  async function load(urlPath) {
    const override = overrides.get(urlPath);
    if (override) return { body: override, mtime: 0 };
    if (!urlPath.startsWith(PREFIX)) return null;
    let rel;
    try {
      rel = decodeURIComponent(urlPath.slice(PREFIX.length));
    } catch {
      return null;
    }
    const file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return null; // no escaping the root
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      return { body: await readFile(file), mtime: info.mtimeMs };
    } catch {
      return null;
    }
  }

  async function serve(req, res, url, entry) {
    const urlPath = url.pathname;
    const fault = takeFault(urlPath, req.method);
    entry.fault = fault?.fault;
    const headers = fault?.fault === 'no-cors' ? {} : corsHeaders();
    if (req.method === 'OPTIONS') {
      res.writeHead(204, headers);
      return res.end();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET, HEAD, OPTIONS' });
      return res.end();
    }
    if (fault?.fault === 'delay') await new Promise((r) => setTimeout(r, fault.ms ?? 1000));
    if (fault?.fault === 'status') {
      const extra = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
      res.writeHead(fault.status ?? 503, { ...headers, ...extra, 'content-type': 'text/plain', 'cache-control': 'no-store' });
      return res.end(`injected status ${fault.status ?? 503}\n`);
    }
    if (fault?.fault === 'html') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end('<!doctype html><html><body>Not the file you wanted</body></html>\n');
    }
    const found = await load(urlPath);
    if (!found) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain', 'cache-control': 'no-cache' });
      return res.end('not found\n');
    }
    let body = found.body;
    const type = TYPES[path.extname(urlPath)] ?? 'application/octet-stream';
    const common = { ...headers, 'content-type': type, 'accept-ranges': 'bytes' };
    if (fault?.fault === 'wrong-bytes') {
      body = Buffer.from(body);
      for (let i = 0; i < body.length; i += Math.max(1, Math.floor(body.length / 8))) body[i] ^= 0xff;
    }
    if (fault?.fault === 'truncate') body = body.subarray(0, fault.bytes ?? Math.floor(body.length / 2));
    if (fault) {
      // Faulty answers must never be revalidated into a browser's HTTP cache with the real ETag.
      common['cache-control'] = 'no-store';
    } else {
      common['cache-control'] = 'no-cache';
      common.etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;
      if (req.headers['if-none-match'] === common.etag) {
        res.writeHead(304, common);
        return res.end();
      }
    }
    let status = 200;
    const rangeHeader = req.headers.range;
    if (rangeHeader) {
      const range = parseRange(rangeHeader, body.length);
      if (range === 'unsatisfiable') {
        res.writeHead(416, { ...common, 'content-range': `bytes */${body.length}` });
        return res.end();
      }
      if (range) {
        status = 206;
        common['content-range'] = `bytes ${range.start}-${range.end}/${body.length}`;
        body = body.subarray(range.start, range.end + 1);
      }
    } else if (type === 'application/json' && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && !fault) {
      body = gzipSync(body);
      common['content-encoding'] = 'gzip';
      common.vary = 'Accept-Encoding';
    }
    res.writeHead(status, { ...common, 'content-length': String(body.length) });
    if (req.method === 'HEAD') return res.end();
    if (fault?.fault === 'drop-after' || fault?.fault === 'stall') {
      const n = Math.min(fault.bytes ?? Math.floor(body.length / 2), body.length);
      res.write(body.subarray(0, n));
      entry.bytes = n;
      // drop-after: cut the TCP connection mid-body, once the client has had time to read what
      // was sent (`ms`, default 250), as when a connection fails part-way. stall: stay silent.
      if (fault.fault === 'drop-after') setTimeout(() => res.socket?.destroy(), fault.ms ?? 250);
      return;
    }
    entry.bytes = body.length;
    res.end(body);
  }

  const server = http.createServer(async (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/__control/')) {
      // A client that hangs up mid-body must not take the server down with an unhandled rejection.
      return control(req, res, url).catch((error) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    }
    const entry = {
      method: req.method,
      path: url.pathname,
      range: req.headers.range ?? null,
      status: 0,
      bytes: 0, // body bytes sent (after gzip)
      ms: 0,
      time: new Date(started).toISOString(),
    };
    log.push(entry); // logged on arrival (a stalled request still shows), completed on close
    res.on('close', () => {
      entry.status = res.statusCode;
      entry.ms = Date.now() - started;
      if (!quiet) {
        const extra = [entry.range && `range=${entry.range}`, entry.fault && `fault=${entry.fault}`].filter(Boolean).join(' ');
        console.log(`${entry.method} ${entry.path} ${entry.status} ${entry.bytes}B ${entry.ms}ms ${extra}`.trimEnd());
      }
    });
    try {
      await serve(req, res, url, entry);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, corsHeaders());
      res.end();
      if (!quiet) console.error(error);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4174, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy(); // stalled responses would keep close() waiting forever
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const get = (name) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help')) {
    console.log('Usage: node scripts/cdn-server.mjs [--port 4174] [--host 127.0.0.1] [--root public/models] [--quiet]');
    process.exit(0);
  }
  const port = Number(get('port') ?? process.env.INPAGE_CDN_PORT ?? 4174);
  const { url } = await startCdnServer({ port, host: get('host'), root: get('root'), quiet: args.includes('--quiet') });
  console.log(`inpage CDN serving ${path.resolve(get('root') ?? 'public/models')} at ${url}/models/ (control: ${url}/__control/)`);
}
