/**
 * A later turn of the event loop that comes after the messages already queued for this thread.
 *
 * Why: in a worker, predictions arrive as messages, one task each, and a session run blocks the
 * thread. Requests posted by the page during a run are therefore still queued as tasks when the
 * run's promise settles, and a run queue that takes its next batch at once finds nothing and runs
 * each of them alone afterwards: 64 concurrent calls cost 64 runs. Letting the queued messages in
 * first (each submits its request) makes them one batch. One message through a fresh
 * MessageChannel does it: posted messages are delivered in order, after those queued before it
 * (a timer would not do: Chromium runs timers from a task queue of their own, and clamps them).
 */
export function afterQueuedMessages(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
