// Writes, from the task table (src/tasks/task-table.ts) and the manifest's valibot schema
// (src/registry/manifest-validator.ts), what the `inpage-registry` CLI needs in plain Node with no
// build step, and the README's task table:
//   src/registry/task-rules.generated.mjs        each task's rules as data (the CLI's --task list)
//   src/registry/manifest-validator.generated.mjs the registry's JSON Schema, generated from the
//                                                 valibot schema, and ajv's standalone validator for it
// Run after adding a task or changing the manifest's schema:
//   npm run tasks:rules
// test/unit/task-table.test.ts fails while any of them differs from what this would write.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { manifestJsonSchema, standaloneValidator, taskRulesAsData } from './manifest-json-schema.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = new URL('../src/registry/task-rules.generated.mjs', import.meta.url);
const validatorOut = new URL('../src/registry/manifest-validator.generated.mjs', import.meta.url);

const load = async (path) => (await runnerImport(path, { root, configFile: false, logLevel: 'error' })).module;
const rules = taskRulesAsData((await load('/src/tasks/task-table.ts')).taskRules());
const { manifestSchema, sharedDefinitions } = await load('/src/registry/manifest-validator.ts');
const schema = manifestJsonSchema(manifestSchema, sharedDefinitions);
await writeFile(validatorOut, standaloneValidator(schema));
console.log(`wrote ${fileURLToPath(validatorOut)}`);
const text = `// Written by scripts/write-task-rules.mjs from src/tasks/task-table.ts: do not edit; run \`npm run tasks:rules\`.
// What a registry entry of each task must hold, for the manifest schema and the CLI.

/** @type {Readonly<Record<string, { summary: { input: string, result: string }, preprocess: Record<string, unknown> | null, roles: string[], labels: boolean }>>} */
export const TASK_RULES = ${JSON.stringify(rules, null, 2)};
`;
await writeFile(out, text);
console.log(`wrote ${fileURLToPath(out)}: ${Object.keys(rules).join(', ')}`);

const readme = new URL('../README.md', import.meta.url);
const START = /<!-- tasks:start[^>]*-->\n/;
const END = '<!-- tasks:end -->';
const current = await readFile(readme, 'utf8');
const start = current.search(START);
const end = current.indexOf(END);
if (start < 0 || end < start) throw new Error('README.md has no <!-- tasks:start --> ... <!-- tasks:end --> block');
const opening = current.slice(start).match(START)[0];
const rows = Object.entries(rules).map(([name, rule]) => `| \`${name}\` | ${rule.summary.input} | ${rule.summary.result} |`);
const table = ['| task | `predict()` takes | and gives |', '| --- | --- | --- |', ...rows, ''].join('\n');
await writeFile(readme, current.slice(0, start) + opening + table + current.slice(end));
console.log('wrote the task table in README.md');
