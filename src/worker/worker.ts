/**
 * The worker entry: serves the engine on the worker's own port (serve-engine.ts), nothing else.
 * It holds a Web Lock named after the worker for its whole life; the page asks for the same lock
 * and is granted it when this worker ends, however it ends, which is how the page notices a crash.
 */
import type { Endpoint } from 'comlink';
import { CoreEngine } from '../runtime/core-engine.js';
import { optionalGlobals } from '../optional-globals.js';
import { serveEngine } from './serve-engine.js';

function holdLifeLock(name: string): Promise<void> {
  const locks = optionalGlobals.navigator?.locks;
  if (!locks || !name) return Promise.resolve();
  return new Promise<void>((held) => {
    void locks.request(name, () => {
      held();
      return new Promise<never>(() => undefined);
    });
  });
}

// The worker's global scope is its port; the DOM typings describe `self` as a window.
serveEngine(new CoreEngine(), self as unknown as Endpoint, holdLifeLock(self.name));
