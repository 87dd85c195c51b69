// Types for json-schema-lite.mjs.
export function validateJson(
  schema: Readonly<Record<string, unknown>>,
  value: unknown,
  limit?: number,
): Array<{ path: string; message: string }>;
