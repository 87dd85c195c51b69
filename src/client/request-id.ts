let counter = 0;

/** Ids for requests and model handles: unique within the page, cheap, and readable in logs. */
export function nextRequestId(prefix = 'r'): string {
  counter += 1;
  return `${prefix}${counter.toString(36)}`;
}
