/**
 * One worker's life, from spawn to death; WorkerEngine makes a new one after each death.
 * Owns: the worker, its channel, the handles loaded into it and the calls pending on it, each of
 * which rejects (WORKER_CRASHED, ABORTED or TIMEOUT) if the worker dies before answering: comlink
 * alone would leave it pending forever.
 *
 * Death is noticed three ways: the worker's `error` event (an uncaught exception leaves it in an
 * unknown state, so it is replaced), our own terminate(), and a Web Lock the worker holds for its
 * whole life, which the browser releases when the worker ends for any reason (self.close(), a
 * crash, out of memory).
 */
import type { Remote } from 'comlink';
import { InpageError } from '../errors.js';
import type { BackendChange } from '../protocol/engine.js';
import { errorFromWorker } from '../protocol/error-transfer.js';
import type { WorkerHost } from '../protocol/worker-messages.js';
import { optionalGlobals } from '../optional-globals.js';
import { WorkerChannel } from './worker-channel.js';

let workerCount = 0;

export class WorkerLife {
  readonly channel: WorkerChannel;
  readonly loaded = new Set<string>();
  readonly lockName: string;
  private readonly worker: Worker;
  private readonly pending = new Set<(error: InpageError) => void>();
  private deathReason: string | null = null;
  private retired = false;
  /** Set by retireWhenIdle(): the worker ends when its last pending call settles. */
  private retireReason: string | null = null;
  /** Called once when the worker has ended after retireWhenIdle(). */
  private onRetired: (() => void) | null = null;

  /** Starts a worker; throws WORKER_CRASHED where the browser refuses (e.g. a script on another origin). */
  constructor(
    workerUrl: URL,
    onBackendChange: (change: BackendChange) => void,
    private readonly onDeath: (life: WorkerLife) => void,
  ) {
    workerCount += 1;
    this.lockName = `inpage-worker-${Date.now().toString(36)}-${workerCount}-${Math.random().toString(36).slice(2)}`;
    try {
      this.worker = new Worker(workerUrl, { type: 'module', name: this.lockName });
    } catch (error) {
      // E.g. a worker script on another origin (SecurityError): create() then runs in-thread.
      throw new InpageError('WORKER_CRASHED', `The worker could not be started from ${workerUrl.href}: ${String(error)}`, { cause: error });
    }
    this.channel = new WorkerChannel(this.worker, onBackendChange);
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.die(`the worker threw an uncaught error: ${event.message || 'unknown error'}`);
    });
    this.worker.addEventListener('messageerror', () => {
      this.die('a message from the worker could not be read');
    });
  }

  get dead(): boolean {
    return this.deathReason !== null;
  }

  /** Asks the browser to tell us when the worker's lock is released, i.e. when it has ended. */
  watchLock(): void {
    const locks = optionalGlobals.navigator?.locks;
    if (!locks) return;
    void locks
      .request(this.lockName, () => {
        this.die('the worker stopped running');
      })
      .catch(() => undefined);
  }

  die(reason: string, code: 'WORKER_CRASHED' | 'ABORTED' | 'TIMEOUT' = 'WORKER_CRASHED'): void {
    if (this.deathReason !== null) return;
    this.deathReason = reason;
    const error =
      code === 'ABORTED'
        ? new InpageError('ABORTED', `The request was cancelled: ${reason}`)
        : code === 'TIMEOUT'
          ? new InpageError('TIMEOUT', `The inpage worker was given up: ${reason}`)
          : new InpageError('WORKER_CRASHED', `The inpage worker died (${reason}); the request was not completed`);
    for (const reject of this.pending) reject(error);
    this.pending.clear();
    if (!this.retired) this.onDeath(this);
    this.channel.close();
    this.worker.terminate();
  }

  /** Ends the worker on purpose (dispose): pending calls still reject, but no replacement is made. */
  retire(reason: string): void {
    this.retired = true;
    this.die(reason, 'ABORTED');
    this.onRetired?.();
    this.onRetired = null;
  }

  /** True once retireWhenIdle() was called: new calls belong on a fresh worker. */
  get retiring(): boolean {
    return this.retireReason !== null;
  }

  /** Ends the worker once the calls already sent to it have settled; no replacement is made. */
  retireWhenIdle(reason: string, onRetired: () => void): void {
    this.retireReason = reason;
    this.onRetired = onRetired;
    if (this.pending.size === 0) this.retire(reason);
  }

  private settled(onDeath: (error: InpageError) => void): void {
    this.pending.delete(onDeath);
    if (this.retireReason !== null && this.pending.size === 0) this.retire(this.retireReason);
  }

  /** Runs a call on this worker; it rejects with WORKER_CRASHED if the worker dies first. */
  call<T>(run: (remote: Remote<WorkerHost>, channel: WorkerChannel) => Promise<T>): Promise<T> {
    if (this.deathReason !== null) {
      return Promise.reject(
        this.retired
          ? new InpageError('ABORTED', `The request was cancelled: ${this.deathReason}`)
          : new InpageError('WORKER_CRASHED', `The inpage worker died (${this.deathReason})`),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const onDeath = (error: InpageError): void => {
        reject(error);
      };
      this.pending.add(onDeath);
      run(this.channel.remote, this.channel).then(
        (value) => {
          this.settled(onDeath);
          resolve(value);
        },
        (error: unknown) => {
          this.settled(onDeath);
          reject(errorFromWorker(error));
        },
      );
    });
  }
}
