// The task table is the one source: the manifest rules the CLI reads are written from it, and
// the README's task table lists every task with what it takes and gives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema, standaloneValidator, taskRulesAsData } from '../../scripts/manifest-json-schema.mjs';
import { MANIFEST_JSON_SCHEMA } from '../../src/registry/manifest-rules.mjs';
import { manifestSchema, sharedDefinitions } from '../../src/registry/manifest-validator.js';
import { TASK_RULES } from '../../src/registry/task-rules.generated.mjs';
import { TASKS, isTaskName, taskRules } from '../../src/tasks/task-table.js';

describe('the task table', () => {
  it('is what src/registry/task-rules.generated.mjs says (else run `npm run tasks:rules`)', () => {
    expect(JSON.parse(JSON.stringify(taskRulesAsData(taskRules())))).toEqual(TASK_RULES);
  });

  it('and the manifest schema are what the CLI validates with (else run `npm run tasks:rules`)', () => {
    const generated = readFileSync(new URL('../../src/registry/manifest-validator.generated.mjs', import.meta.url), 'utf8');
    expect(generated === standaloneValidator(manifestJsonSchema(manifestSchema, sharedDefinitions))).toBe(true);
  });

  it('feeds the manifest schema its task list', () => {
    interface Schema {
      properties: Record<string, Schema>;
      additionalProperties: Schema;
      oneOf: Schema[];
      const: unknown;
    }
    const versions = (MANIFEST_JSON_SCHEMA as unknown as Schema).properties.models.additionalProperties.properties.versions.additionalProperties;
    expect(versions.oneOf.map((branch) => branch.properties.task.const)).toEqual(Object.keys(TASKS));
  });

  it('names each task as its key, and every preprocess schema fixes its kind', () => {
    for (const [name, task] of Object.entries(TASKS)) {
      expect(task.name).toBe(name);
      expect(isTaskName(name)).toBe(true);
      const preprocess = TASK_RULES[name].preprocess as { properties: { kind: { const?: unknown } } } | null;
      if (task.manifest.preprocess) expect(preprocess?.properties.kind.const).toEqual(expect.any(String));
    }
    expect(isTaskName('translate')).toBe(false);
    expect(isTaskName('toString')).toBe(false);
  });

  it('is the README task table, row for row', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [name, task] of Object.entries(TASKS)) {
      expect(readme).toContain(`| \`${name}\` | ${task.manifest.summary.input} | ${task.manifest.summary.result} |`);
    }
  });
});
