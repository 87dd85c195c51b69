/**
 * Keeps inpage to the hosts the page named. fetch() follows redirects on its own, so the check
 * happens on the response: one that ended on another origin is refused before its body is read.
 * The browser has sent that one request by then (fetch cannot reveal a redirect's target without
 * following it); what inpage promises is that it never uses, caches or follows up on it.
 */
import { InpageError } from '../errors.js';

/**
 * Throws `HTTP` (not retryable) when `response` was redirected to an origin outside `allowed`.
 * `allowed` undefined means "no restriction" (the pieces used on their own, e.g. by unit tests).
 */
export function checkResponseOrigin(response: Response, requested: string, allowed: readonly string[] | undefined): void {
  // An empty url is a Response not made by fetch (tests, service workers' synthetic answers).
  if (allowed === undefined || response.url === '') return;
  let origin: string;
  try {
    origin = new URL(response.url).origin;
  } catch {
    return;
  }
  if (origin === new URL(requested).origin || allowed.includes(origin)) return;
  void response.body?.cancel().catch(() => undefined);
  throw new InpageError(
    'HTTP',
    `${requested} was redirected to ${origin}, a host you did not name; add it to the allowedOrigins option to accept it`,
    { details: { url: requested, redirectedTo: response.url, origin } },
  );
}
