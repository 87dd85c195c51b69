// Types for manifest-validator.generated.mjs (written by scripts/write-task-rules.mjs).
export interface AjvError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  propertyName?: string;
  parentSchema?: Record<string, any>;
  message?: string;
}
export const validate: ((value: unknown) => boolean) & { errors: AjvError[] | null };
export default validate;
export const MANIFEST_JSON_SCHEMA: Readonly<Record<string, unknown>>;
