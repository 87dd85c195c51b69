// The registry's JSON Schema, generated from the manifest's valibot schema (the one definition the
// SDK validates with and the types derive from), and the CLI's validator compiled from it by ajv
// ahead of time: plain code, so the CLI needs neither valibot's TypeScript nor ajv at run time.
// Used by scripts/write-task-rules.mjs and by the unit test that checks its output is fresh.
import { toJsonSchema } from '@valibot/to-json-schema';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const CONVERSION = {
  target: 'draft-2020-12',
  errorMode: 'throw',
  // A v.check has no JSON Schema; each one carries what it says as metadata (see manifest-shape.ts).
  ignoreActions: ['check'],
  // Versions are one schema per task told apart by `task`: say so, so validators (ajv) report the
  // problems of the entry's own task rather than of every task it is not.
  overrideSchema: ({ valibotSchema, jsonSchema }) =>
    valibotSchema.type === 'variant' ? { ...jsonSchema, discriminator: { propertyName: valibotSchema.key } } : undefined,
};

/** registry.schema.json: the valibot schema as JSON Schema 2020-12, with its id; `definitions` become `$defs`. */
export function manifestJsonSchema(valibotSchema, definitions) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://inpage.dev/schemas/registry.schema.json',
    ...toJsonSchema(valibotSchema, { ...CONVERSION, definitions }),
  };
}

/** The task table's rules with each valibot `preprocess` as JSON Schema, for the CLI and the README. */
export function taskRulesAsData(rules) {
  return Object.fromEntries(
    Object.entries(rules).map(([task, rule]) => {
      const preprocess = rule.preprocess === null ? null : toJsonSchema(rule.preprocess, CONVERSION);
      return [task, { ...rule, preprocess }];
    }),
  );
}

/** An ES module exporting `validate` (ajv, compiled ahead of time: no eval when it runs) and `MANIFEST_JSON_SCHEMA`. */
export function standaloneValidator(schema) {
  const ajv = new Ajv2020.default({
    allErrors: true,
    discriminator: true,
    // One function per $defs entry, called from every task's branch, rather than a copy in each.
    inlineRefs: false,
    // Errors carry the schema they broke, whose title names what was expected ("a lower-case hex sha256").
    verbose: true,
    // Lengths by UTF-16 code units, as valibot counts them; and no run-time import of ajv for it.
    unicode: false,
    strictRequired: false,
    strictTypes: false,
    code: { source: true, esm: true, optimize: true },
    // `unicode: false` is deprecated but still the only way to keep the code free of ajv imports.
    logger: {
      log: console.log,
      warn: (message) => String(message).startsWith('DEPRECATED: option unicode') || console.warn(message),
      error: console.error,
    },
  });
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  return `// Written by scripts/write-task-rules.mjs from the manifest's valibot schema: do not edit; run \`npm run tasks:rules\`.
// ajv's standalone validator for the registry's JSON Schema, used by the inpage-registry CLI.
/* eslint-disable */
${code}
export const MANIFEST_JSON_SCHEMA = ${JSON.stringify(schema, null, 2)};
`;
}
