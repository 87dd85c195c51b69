// Types for manifest-json-schema.mjs (plain JS: scripts/write-task-rules.mjs runs it in Node).
import type { GenericSchema } from 'valibot';

export function manifestJsonSchema(valibotSchema: GenericSchema, definitions: Record<string, GenericSchema>): Record<string, unknown>;
export function taskRulesAsData(rules: Record<string, { preprocess: GenericSchema | null }>): Record<string, unknown>;
export function standaloneValidator(schema: Record<string, unknown>): string;
