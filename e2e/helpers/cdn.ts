/**
 * A private CDN per Playwright worker: `scripts/cdn-server.mjs` over a temp folder holding test
 * model versions, so the faults one spec flips never reach another spec running in parallel.
 * Specs take it as the `cdn` fixture of this module's {@link test} (started once per worker,
 * reset after every test, closed with the worker).
 *
 * The temp registry holds:
 * - `tiny-digits@1.0.0`: the real 18 KB fixture, unchanged (one file).
 * - `big-digits@1.0.0`: the same network padded to ~256 KB (still a valid ONNX model: the padding
 *   is a ModelProto doc_string) plus a small `config.json`, for progress/Range/abort tests.
 * - `big-digits@1.1.0`: on disk but NOT in registry.json (publish it with {@link TestCdn.publish}):
 *   a differently padded model.onnx and the same config.json as 1.0.0.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test as base } from '@playwright/test';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export type FaultName = 'drop-after' | 'status' | 'delay' | 'stall' | 'wrong-bytes' | 'html' | 'no-cors' | 'truncate';

/** One switch for `POST /__control/faults`; `path` is a URL path prefix such as `/models/big-digits/`, or `*`. */
export interface FaultSpec {
  path: string;
  fault: FaultName;
  bytes?: number;
  status?: number;
  retryAfter?: number | string;
  ms?: number;
  /** Applies to this many requests, then clears itself (default: until cleared). */
  times?: number;
}

/** One request as the CDN logged it. */
export interface LoggedRequest {
  method: string;
  path: string;
  range: string | null;
  status: number;
  bytes: number;
  ms: number;
  fault?: string;
}

export interface TestFile {
  /** Path relative to the registry, as in the manifest (e.g. `big-digits/1.0.0/model.onnx`). */
  path: string;
  /** URL path on the CDN (e.g. `/models/big-digits/1.0.0/model.onnx`). */
  urlPath: string;
  role: 'model' | 'config';
  sha256: string;
  bytes: number;
}

export interface TestCdn {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `${url}/models/registry.json` */
  registryUrl: string;
  root: string;
  files: {
    tiny: TestFile;
    bigModel: TestFile;
    bigConfig: TestFile;
    /** big-digits@1.1.0's model.onnx (its config.json is {@link files.bigConfig}). */
    nextModel: TestFile;
  };
  /** The registry.json served by default (1.1.0 unpublished), as an object to derive overrides from. */
  manifest(): Manifest;
  /** The manifest with big-digits@1.1.0 added. */
  manifestWithNext(): Manifest;
  fault(spec: FaultSpec): Promise<void>;
  clearFaults(): Promise<void>;
  log(): Promise<LoggedRequest[]>;
  clearLog(): Promise<void>;
  /** Serves `body` at `urlPath` (default the registry) instead of the file. */
  override(body: string, urlPath?: string): Promise<void>;
  clearOverrides(): Promise<void>;
  /** Serves the registry with big-digits@1.1.0 in it. */
  publishNext(): Promise<void>;
  /** Clears faults, overrides and the log. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

// A loose manifest shape: tests edit it freely to break it.
export interface Manifest {
  schemaVersion: number;
  models: Record<string, { description?: string; versions: Record<string, Record<string, unknown>> }>;
}

interface CdnServer {
  url: string;
  port: number;
  close(): Promise<void>;
}
type StartCdnServer = (options: { root: string; port: number; quiet: boolean }) => Promise<CdnServer>;

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** The same ONNX model, `total` bytes long: a ModelProto doc_string (field 6) appended. Protobuf keeps the last one. */
export function padOnnx(model: Buffer, total: number, fill: number): Buffer {
  let padLength = total - model.length - 1 - 3; // tag + (up to) 3-byte length
  if (padLength < 128 * 128) throw new Error(`padOnnx: ${total} bytes is too small to pad to`);
  padLength = total - model.length - 1 - varint(padLength).length;
  const padded = Buffer.concat([model, Buffer.from([0x32]), varint(padLength), Buffer.alloc(padLength, fill)]);
  if (padded.length !== total) throw new Error(`padOnnx: got ${padded.length}, wanted ${total}`);
  return padded;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function writeTestFile(root: string, path: string, role: TestFile['role'], bytes: Buffer): Promise<TestFile> {
  const full = join(root, path);
  await mkdir(join(full, '..'), { recursive: true });
  await writeFile(full, bytes);
  return { path, urlPath: `/models/${path}`, role, sha256: sha256(bytes), bytes: bytes.length };
}

const asManifestFile = (f: TestFile): Record<string, unknown> => ({ path: f.path, role: f.role, sha256: f.sha256, bytes: f.bytes });

/**
 * Starts a CDN on a free port over a fresh temp folder. Specs use the {@link test} fixture, which
 * calls this once per worker, `reset()` after each test and `close()` at the end.
 */
export async function startTestCdn(options: { bigBytes?: number } = {}): Promise<TestCdn> {
  const bigBytes = options.bigBytes ?? 256 * 1024;
  const root = await mkdtemp(join(tmpdir(), 'inpage-cdn-'));
  const fixtureDir = join(repoRoot, 'e2e/fixtures/models');
  const tinyBytes = await readFile(join(fixtureDir, 'tiny-digits/1.0.0/model.onnx'));
  const fixture = JSON.parse(await readFile(join(fixtureDir, 'registry.json'), 'utf8')) as Manifest;
  const tinyEntry = fixture.models['tiny-digits']?.versions['1.0.0'];
  if (!tinyEntry) throw new Error('e2e/fixtures/models/registry.json has no tiny-digits@1.0.0');

  const tiny = await writeTestFile(root, 'tiny-digits/1.0.0/model.onnx', 'model', tinyBytes);
  const bigModel = await writeTestFile(root, 'big-digits/1.0.0/model.onnx', 'model', padOnnx(tinyBytes, bigBytes, 0x61));
  const config = Buffer.from(`${JSON.stringify({ note: 'test-only config for big-digits', padding: 'x'.repeat(2000) }, null, 2)}\n`);
  const bigConfig = await writeTestFile(root, 'big-digits/1.0.0/config.json', 'config', config);
  const nextModel = await writeTestFile(root, 'big-digits/1.1.0/model.onnx', 'model', padOnnx(tinyBytes, bigBytes + 4096, 0x62));

  const version = (files: TestFile[], description: string): Record<string, unknown> => ({
    ...tinyEntry,
    description,
    files: files.map(asManifestFile),
  });
  const manifest = (): Manifest => ({
    schemaVersion: 1,
    models: {
      'tiny-digits': { description: 'tiny fixture', versions: { '1.0.0': version([tiny], 'tiny fixture') } },
      'big-digits': {
        description: 'tiny fixture padded to a bigger file, plus a config',
        versions: { '1.0.0': version([bigModel, bigConfig], 'padded fixture 1.0.0') },
      },
    },
  });
  const manifestWithNext = (): Manifest => {
    const m = manifest();
    const big = m.models['big-digits'];
    if (big) big.versions['1.1.0'] = version([nextModel, bigConfig], 'padded fixture 1.1.0');
    return m;
  };
  await writeFile(join(root, 'registry.json'), `${JSON.stringify(manifest(), null, 2)}\n`);

  const moduleUrl = pathToFileURL(join(repoRoot, 'scripts/cdn-server.mjs')).href;
  const { startCdnServer } = (await import(moduleUrl)) as { startCdnServer: StartCdnServer };
  const server = await startCdnServer({ root, port: 0, quiet: true });
  const control = async (method: string, path: string, body?: string): Promise<unknown> => {
    const response = await fetch(`${server.url}/__control/${path}`, { method, ...(body === undefined ? {} : { body }) });
    if (!response.ok) throw new Error(`CDN control ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  const registryPath = '/models/registry.json';
  const cdn: TestCdn = {
    url: server.url,
    registryUrl: `${server.url}${registryPath}`,
    root,
    files: { tiny, bigModel, bigConfig, nextModel },
    manifest,
    manifestWithNext,
    fault: async (spec) => {
      await control('POST', 'faults', JSON.stringify(spec));
    },
    clearFaults: async () => {
      await control('DELETE', 'faults');
    },
    log: async () => (await control('GET', 'log')) as LoggedRequest[],
    clearLog: async () => {
      await control('DELETE', 'log');
    },
    override: async (body, urlPath = registryPath) => {
      await control('PUT', `override?path=${encodeURIComponent(urlPath)}`, body);
    },
    clearOverrides: async () => {
      await control('DELETE', 'override');
    },
    publishNext: () => cdn.override(JSON.stringify(manifestWithNext())),
    reset: async () => {
      await cdn.clearFaults();
      await cdn.clearOverrides();
      await cdn.clearLog();
    },
    close: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return cdn;
}

/** Requests for model files (anything but registry.json) in a CDN log. */
export function fileRequests(log: LoggedRequest[]): LoggedRequest[] {
  return log.filter((r) => r.method === 'GET' && !r.path.endsWith('/registry.json'));
}

/**
 * Playwright's `test` with a `cdn` fixture: one {@link TestCdn} per worker process, its faults,
 * overrides and log reset after every test so one test's faults never reach the next.
 * @example
 * ```ts
 * import { test } from './helpers/cdn';
 * test('…', async ({ page, cdn }) => { await cdn.fault({ path: cdn.files.tiny.urlPath, fault: 'html' }); });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- an auto fixture that provides nothing is typed void in Playwright
export const test = base.extend<{ cleanCdn: void }, { cdn: TestCdn }>({
  cdn: [
    // The empty pattern is Playwright's way to say "needs no other fixture".
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
    async ({}, use) => {
      const cdn = await startTestCdn();
      try {
        await use(cdn);
      } finally {
        await cdn.close();
      }
    },
    { scope: 'worker' },
  ],
  cleanCdn: [
    async ({ cdn }, use) => {
      await use();
      await cdn.reset();
    },
    { auto: true },
  ],
});
