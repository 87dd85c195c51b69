// Types for json-schema-lite.mjs.
export function validateJson(
  schema: Readonly<Record<string, unknown>>,
  value: unknown,
  limit?: number,
): Array<{ path: string; message: string }>;
export function validateJsonAt(
  root: Readonly<Record<string, unknown>>,
  schema: Readonly<Record<string, unknown>>,
  value: unknown,
  path: string,
  problems: Array<{ path: string; message: string }>,
  limit: number,
): void;
