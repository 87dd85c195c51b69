/**
 * Starts Debian's nginx (e2e/servers/nginx.conf) for one spec: the repository as a site and
 * public/models as a CDN on another origin, each on a free 127.0.0.1 port; and, in front of the CDN,
 * a TCP proxy that can cut one download part-way, which nginx then resumes with a 206. The access
 * log is how the tests see what nginx itself answered (304s, 206s, gzip), not what the browser says.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

/** One line of nginx's access log (log_format `tests`). */
export interface NginxRequest {
  method: string;
  path: string;
  status: number;
  bytes: number;
  range: string;
  ifNoneMatch: string;
  contentEncoding: string;
}

export interface Nginx {
  /** The site's origin: `${siteOrigin}/e2e/fixtures/...`, `${siteOrigin}/dist/...`. */
  siteOrigin: string;
  /** registry.json on the CDN, through the cutting proxy. */
  registryUrl: string;
  /** The CDN's origin without the proxy. */
  cdnOrigin: string;
  requests(): NginxRequest[];
  /** The next response for a path ending in `suffix` is cut after `bytes` bytes of it. */
  cutNext(suffix: string, bytes: number): void;
  close(): Promise<void>;
}

export function nginxAvailable(): boolean {
  return NGINX !== undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, process: ChildProcess, run: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (process.exitCode !== null) break;
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        resolve(true);
      }).on('error', () => {
        resolve(false);
      });
      socket.unref();
      setTimeout(() => socket.destroy(), 200);
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const log = existsSync(join(run, 'error.log')) ? readFileSync(join(run, 'error.log'), 'utf8') : '';
  throw new Error(`nginx did not start on ${port}: ${log}`);
}

function parseLine(line: string): NginxRequest | null {
  const m = /^(\S+) (\S+) (\d+) (\d+) "([^"]*)" "([^"]*)" (\S+)$/.exec(line);
  if (!m) return null;
  return {
    method: m[1],
    path: m[2],
    status: Number(m[3]),
    bytes: Number(m[4]),
    range: m[5],
    ifNoneMatch: m[6],
    contentEncoding: m[7] === '-' ? '' : m[7],
  };
}

/** A TCP proxy to `port` that cuts the response of one chosen request part-way. */
function cuttingProxy(port: number): { server: Server; cutNext: (suffix: string, bytes: number) => void } {
  let cut: { suffix: string; bytes: number } | null = null;
  const server = createServer((client: Socket) => {
    const upstream = connect(port, '127.0.0.1');
    let budget = Infinity;
    client.once('data', (first: Buffer) => {
      const path = /^[A-Z]+ (\S+)/.exec(first.toString('latin1'))?.[1] ?? '';
      if (cut && path.endsWith(cut.suffix)) {
        budget = cut.bytes;
        cut = null;
      }
      upstream.write(first);
      client.pipe(upstream);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (chunk.length <= budget) {
        budget -= chunk.length;
        client.write(chunk);
        return;
      }
      // Headers and part of the body have gone out: now the connection drops, as a flaky network would.
      client.write(chunk.subarray(0, budget), () => client.destroy());
      upstream.destroy();
    });
    upstream.on('end', () => client.end());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return { server, cutNext: (suffix, bytes) => (cut = { suffix, bytes }) };
}

export async function startNginx(): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx is not installed (apt-get install nginx-light; .ci/run does)');
  const run = mkdtempSync(join(tmpdir(), 'inpage-nginx-'));
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(run, dir));
  const [sitePort, cdnPort] = [await freePort(), await freePort()];
  const config = readFileSync(join(root, 'e2e/servers/nginx.conf'), 'utf8')
    // As root, nginx's workers would run as nobody, who may not read a checkout under /root.
    .replaceAll('{{USER}}', process.getuid?.() === 0 ? 'user root;' : '')
    .replaceAll('{{RUN}}', run)
    .replaceAll('{{ROOT}}', root.replace(/\/$/, ''))
    .replaceAll('{{MODELS}}', join(root, 'public/models'))
    .replaceAll('{{SITE_PORT}}', String(sitePort))
    .replaceAll('{{CDN_PORT}}', String(cdnPort));
  const configFile = join(run, 'nginx.conf');
  writeFileSync(configFile, config);
  const test = spawnSync(NGINX, ['-t', '-q', '-p', run, '-e', join(run, 'error.log'), '-c', configFile], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t failed: ${test.stderr}`);
  const nginx = spawn(NGINX, ['-p', run, '-e', join(run, 'error.log'), '-c', configFile, '-g', 'daemon off;'], { stdio: 'ignore' });
  await waitForPort(sitePort, nginx, run);
  await waitForPort(cdnPort, nginx, run);
  const proxy = cuttingProxy(cdnPort);
  await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (proxy.server.address() as AddressInfo).port;
  const log = join(run, 'access.log');
  return {
    siteOrigin: `http://127.0.0.1:${sitePort}`,
    cdnOrigin: `http://127.0.0.1:${cdnPort}`,
    registryUrl: `http://127.0.0.1:${proxyPort}/models/registry.json`,
    requests: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .map(parseLine)
            .filter((r): r is NginxRequest => r !== null)
        : [],
    cutNext: proxy.cutNext,
    async close() {
      await new Promise((resolve) => proxy.server.close(resolve));
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
      rmSync(run, { recursive: true, force: true });
    },
  };
}
