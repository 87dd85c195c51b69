/**
 * One download per file at a time within an inpage instance: two loads that need the same bytes
 * (the same model twice, or two models sharing a file) wait on one request. Keyed by sha256, since
 * equal hashes are equal bytes wherever they come from. The download is cancelled only when every
 * load waiting on it has been aborted; each waiter hears the progress.
 * Owns: the downloads in flight, by sha256, for one inpage instance.
 */
import { InpageError } from '../errors.js';

/** The work of one shared download: it gets a signal that fires when nobody waits any more. */
export type SharedWork<T> = (signal: AbortSignal, onBytes: (fileLoaded: number) => void) => Promise<T>;

interface Flight<T> {
  controller: AbortController;
  promise: Promise<T>;
  listeners: Set<(fileLoaded: number) => void>;
  waiters: number;
}

export class SharedDownloads<T> {
  private readonly flights = new Map<string, Flight<T>>();

  /** How many downloads are in flight (for tests). */
  get size(): number {
    return this.flights.size;
  }

  /**
   * Waits on the download of `key`, starting it with `work` when none is in flight.
   * @throws InpageError `ABORTED` as soon as `signal` fires, whatever the others do
   */
  join(key: string, work: SharedWork<T>, signal: AbortSignal | undefined, onBytes?: (fileLoaded: number) => void): Promise<T> {
    if (signal?.aborted) return Promise.reject(new InpageError('ABORTED', 'Download was aborted', { cause: signal.reason }));
    const flight = this.flightFor(key, work);
    flight.waiters += 1;
    if (onBytes) flight.listeners.add(onBytes);
    return new Promise<T>((resolve, reject) => {
      const leave = (): void => {
        signal?.removeEventListener('abort', onAbort);
        if (onBytes) flight.listeners.delete(onBytes);
        flight.waiters -= 1;
      };
      const onAbort = (): void => {
        leave();
        if (flight.waiters === 0) flight.controller.abort(signal?.reason);
        reject(new InpageError('ABORTED', 'Download was aborted', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          leave();
          resolve(value);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }

  private flightFor(key: string, work: SharedWork<T>): Flight<T> {
    const existing = this.flights.get(key);
    if (existing) return existing;
    const controller = new AbortController();
    const listeners = new Set<(fileLoaded: number) => void>();
    const promise = work(controller.signal, (n) => {
      listeners.forEach((listener) => {
        listener(n);
      });
    });
    const flight: Flight<T> = { controller, promise, listeners, waiters: 0 };
    this.flights.set(key, flight);
    const forget = (): void => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    promise.then(forget, forget);
    return flight;
  }
}
