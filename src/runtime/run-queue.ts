/**
 * Serialises runs of one session and coalesces requests that arrive while a run is in flight
 * into the next batched run. Concurrent predict() calls are therefore safe, and under load
 * they cost one session.run per batch instead of one each.
 * Owns: one session's waiting requests and whether a run is in flight (one RunQueue per loaded model).
 */
import { InpageError } from '../errors.js';

interface Pending<Item, Result> {
  item: Item;
  /** How many rows of the batch this request takes (e.g. texts in a predict(string[])). */
  size: number;
  signal: AbortSignal | undefined;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export type BatchRunner<Item, Result> = (items: Item[]) => Promise<Result[]>;

export class RunQueue<Item, Result> {
  private readonly waiting: Pending<Item, Result>[] = [];
  private running = false;
  private closedReason: InpageError | null = null;
  private idleWaiters: (() => void)[] = [];
  private batchesRun = 0;

  constructor(
    private readonly runBatch: BatchRunner<Item, Result>,
    private readonly maxRows: number,
    /** Whether `next` may run in one batch with `first` (e.g. both for the same runner). */
    private readonly joinable: (first: Item, next: Item) => boolean = () => true,
  ) {}

  get pending(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  /** Batches run so far: how many requests were coalesced shows as fewer runs than requests. */
  get runs(): number {
    return this.batchesRun;
  }

  submit(item: Item, size: number, signal?: AbortSignal): Promise<Result> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    if (signal?.aborted) return Promise.reject(new InpageError('ABORTED', 'The prediction was aborted'));
    return new Promise<Result>((resolve, reject) => {
      const entry: Pending<Item, Result> = { item, size, signal, resolve, reject };
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.waiting.indexOf(entry);
          if (at >= 0) this.waiting.splice(at, 1);
          // A request already in a running batch is settled now; its row's result is dropped.
          reject(new InpageError('ABORTED', 'The prediction was aborted'));
        },
        { once: true },
      );
      this.waiting.push(entry);
      if (!this.running) void this.drain();
    });
  }

  /** Rejects everything waiting; lets the run in flight finish. Resolves when idle. */
  close(reason: InpageError): Promise<void> {
    this.closedReason = reason;
    for (const entry of this.waiting.splice(0)) entry.reject(reason);
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  private takeBatch(): Pending<Item, Result>[] {
    const batch: Pending<Item, Result>[] = [];
    let rows = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      const first = batch[0];
      if (!next || (first && (rows + next.size > this.maxRows || !this.joinable(first.item, next.item)))) break;
      this.waiting.shift();
      batch.push(next);
      rows += next.size;
    }
    return batch;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let batch = this.takeBatch(); batch.length > 0; batch = this.takeBatch()) {
        try {
          this.batchesRun += 1;
          const results = await this.runBatch(batch.map((entry) => entry.item));
          if (results.length !== batch.length) {
            throw new InpageError('INTERNAL', `A batch of ${batch.length} requests gave ${results.length} results`);
          }
          results.forEach((result, i) => batch[i]?.resolve(result));
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.running = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }
}
