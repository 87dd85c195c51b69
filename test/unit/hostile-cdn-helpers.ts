// Test double shared by the hostile-CDN tests (not a test file itself): a scripted fetch that
// counts requests, and a manifest for a set of files.
import { sha } from './cache-fake-storage.js';

export { sha };

export type Route = (url: string, init: RequestInit | undefined) => Response | Promise<Response>;

/** A fetch answering from `routes` by path suffix; 404 otherwise. `requests` lists each URL asked for. */
export function scriptedFetch(routes: Record<string, Route>): { fetch: typeof fetch; requests: string[] } {
  const requests: string[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    requests.push(url);
    init?.signal?.throwIfAborted();
    const route = Object.entries(routes).find(([suffix]) => new URL(url).pathname.endsWith(suffix));
    return route ? route[1](url, init) : new Response('not found', { status: 404 });
  };
  return { fetch: fake, requests };
}

/** A Response as fetch() makes it after following redirects to `finalUrl`. */
export function redirectedResponse(body: BodyInit, finalUrl: string, init: ResponseInit = {}): Response {
  const response = new Response(body, init);
  Object.defineProperty(response, 'url', { value: finalUrl });
  return response;
}

/** A body sent in `chunks` pieces, one every `everyMs`, honouring the request's abort signal. */
export function trickle(bytes: Uint8Array, chunks: number, everyMs: number, signal?: AbortSignal | null): ReadableStream<Uint8Array> {
  const size = Math.ceil(bytes.byteLength / chunks);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, everyMs));
      if (signal?.aborted) {
        controller.error(signal.reason);
        return;
      }
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

/** A stream that sends nothing, ever (until aborted). */
export function silence(signal?: AbortSignal | null): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      signal?.addEventListener(
        'abort',
        () => {
          controller.error(signal.reason);
        },
        { once: true },
      );
    },
  });
}

export interface FileSpec {
  path: string;
  role: 'model' | 'config' | 'tokenizer';
  bytes: Uint8Array;
  /** What the manifest claims, when it lies. */
  declared?: number;
}

/** A one-model (`m`) manifest of task `tensor` listing `files`. */
export function manifestFor(files: FileSpec[], id = 'm', version = '1.0.0'): object {
  return {
    schemaVersion: 1,
    models: {
      [id]: {
        versions: {
          [version]: {
            task: 'tensor',
            files: files.map((f) => ({ path: f.path, role: f.role, sha256: sha(f.bytes), bytes: f.declared ?? f.bytes.byteLength })),
            inputs: [{ name: 'x', dtype: 'float32', shape: [1] }],
            outputs: [{ name: 'y', dtype: 'float32', shape: [1] }],
          },
        },
      },
    },
  };
}

export const json = (value: unknown, init: ResponseInit = {}): Response =>
  new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' }, ...init });
