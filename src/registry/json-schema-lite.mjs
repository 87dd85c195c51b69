// A deliberately small JSON Schema (2020-12 subset) interpreter.
//
// Why plain JS: the SDK (TypeScript, bundled) and the `inpage-registry` CLI (plain Node ESM, no
// build step) must apply exactly the same manifest rules. Writing the interpreter once in a
// dependency-free .mjs file (typed by the sibling .d.mts) lets both import it directly.
//
// Why an interpreter rather than a hand-written validator: the rules then live in one JSON Schema
// object, which is also published as public/models/registry.schema.json for users' own tooling.
//
// Unknown keywords throw, so a schema can never silently carry a rule that is not enforced.

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'examples', '$comment', 'default']);

/**
 * Validates `value` against `schema`, returning up to `limit` problems (empty when valid).
 * Paths read like JavaScript property access: `models.mnist.versions.1.0.0.files[0].sha256`.
 *
 * @param {Record<string, unknown>} schema root schema; `$ref` may point into its `$defs`
 * @param {unknown} value parsed JSON
 * @param {number} [limit]
 * @returns {{ path: string, message: string }[]}
 */
export function validateJson(schema, value, limit = 20) {
  const problems = [];
  walk(schema, value, '', { root: schema, problems, limit });
  return problems;
}

/**
 * Validates `value` against `schema` as if it sat at `path` inside a document whose root schema is
 * `root` (so `$ref`s resolve), adding to `problems` up to `limit`. Lets a caller validate a large
 * document piece by piece, yielding in between.
 *
 * @param {Record<string, unknown>} root
 * @param {Record<string, unknown>} schema
 * @param {unknown} value
 * @param {string} path
 * @param {{ path: string, message: string }[]} problems
 * @param {number} limit
 */
export function validateJsonAt(root, schema, value, path, problems, limit) {
  walk(schema, value, path, { root, problems, limit });
}

function childPath(path, key) {
  return path === '' ? String(key) : `${path}.${key}`;
}

function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value, type) {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

// Never serialises a whole object or array: a hostile manifest can put megabytes (or thousands of
// nesting levels) where a string was expected, and each message would pay for all of it again.
function describe(value) {
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeOf(value) === 'object') return 'an object';
  const text = typeof value === 'string' && value.length > 60 ? JSON.stringify(value.slice(0, 60)) : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** JSON equality of a schema constant and a value; O(1) unless both are objects (schema constants are scalars). */
function sameJson(constant, value) {
  if (typeof constant !== 'object' || constant === null || typeof value !== 'object' || value === null) return constant === value;
  return JSON.stringify(constant) === JSON.stringify(value);
}

// Longer strings are refused before a pattern runs on them: no rule needs them, and a regular
// expression's cost on a long string is what a hostile manifest would aim at.
const MAX_PATTERN_INPUT = 1024;

function resolveRef(ref, root) {
  const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
  const target = match ? root.$defs?.[match[1]] : undefined;
  if (!target) throw new Error(`json-schema-lite: unresolvable $ref ${ref}`);
  return target;
}

/** Runs `schema` against `value` into a scratch list, for the combinators that only need a yes/no. */
function passes(schema, value, path, ctx) {
  const scratch = { root: ctx.root, problems: [], limit: 1 };
  walk(schema, value, path, scratch);
  return scratch.problems.length === 0;
}

function walk(schema, value, path, ctx) {
  const report = (message, at = path) => {
    if (ctx.problems.length < ctx.limit) ctx.problems.push({ path: at, message });
  };
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !(key in KEYWORDS)) throw new Error(`json-schema-lite: unsupported keyword ${key}`);
  }
  if (schema.$ref !== undefined) walk(resolveRef(schema.$ref, ctx.root), value, path, ctx);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) {
      report(`must be ${types.join(' or ')}, got ${typeOf(value)}`);
      return; // the remaining keywords would only repeat the same mistake
    }
  }
  if ('const' in schema && !sameJson(schema.const, value)) {
    report(`must be ${describe(schema.const)}, got ${describe(value)}`);
  }
  if (schema.enum !== undefined && !schema.enum.some((v) => sameJson(v, value))) {
    report(`must be one of ${schema.enum.map(describe).join(', ')}, got ${describe(value)}`);
  }
  if (typeof value === 'string') checkString(schema, value, report);
  if (typeof value === 'number') checkNumber(schema, value, report);
  if (Array.isArray(value)) checkArray(schema, value, path, ctx, report);
  else if (typeOf(value) === 'object') checkObject(schema, value, path, ctx, report);
  for (const sub of schema.allOf ?? []) walk(sub, value, path, ctx);
  if (schema.if !== undefined && passes(schema.if, value, path, ctx) && schema.then !== undefined) {
    walk(schema.then, value, path, ctx);
  }
  if (schema.oneOf !== undefined) checkOneOf(schema.oneOf, value, path, ctx, report);
}

// Compiled once per pattern: a manifest of thousands of versions checks the same few patterns.
const PATTERNS = new Map();
function compiled(pattern) {
  let regex = PATTERNS.get(pattern);
  if (!regex) PATTERNS.set(pattern, (regex = new RegExp(pattern, 'u')));
  return regex;
}

function checkString(schema, value, report) {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    report(schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`);
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    report(`must be at most ${schema.maxLength} characters`);
  }
  if (schema.pattern !== undefined && value.length > MAX_PATTERN_INPUT) {
    report(`must be at most ${MAX_PATTERN_INPUT} characters`);
  } else if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) {
    report(`${describe(value)} is not ${schema.title ?? `matching ${schema.pattern}`}`);
  }
}

function checkNumber(schema, value, report) {
  if (!Number.isFinite(value)) report('must be a finite number');
  if (schema.minimum !== undefined && value < schema.minimum) report(`must be >= ${schema.minimum}, got ${value}`);
  if (schema.maximum !== undefined && value > schema.maximum) report(`must be <= ${schema.maximum}, got ${value}`);
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
    report(`must be > ${schema.exclusiveMinimum}, got ${value}`);
  }
}

function checkArray(schema, value, path, ctx, report) {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    report(schema.minItems === 1 ? 'must not be empty' : `must have at least ${schema.minItems} items`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) report(`must have at most ${schema.maxItems} items`);
  if (schema.items !== undefined) value.forEach((item, i) => walk(schema.items, item, `${path}[${i}]`, ctx));
  if (schema.contains !== undefined && !value.some((item, i) => passes(schema.contains, item, `${path}[${i}]`, ctx))) {
    report(`must contain ${schema.contains.title ?? 'a matching item'}`);
  }
}

function checkObject(schema, value, path, ctx, report) {
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key)) report('is required', childPath(path, key));
  }
  if (schema.minProperties !== undefined && Object.keys(value).length < schema.minProperties) {
    report(`must have at least ${schema.minProperties} entries`);
  }
  const properties = schema.properties ?? {};
  for (const [key, item] of Object.entries(value)) {
    if (schema.propertyNames !== undefined && !passes(schema.propertyNames, key, path, ctx)) {
      report(`key ${describe(key)} is not ${schema.propertyNames.title ?? 'allowed'}`, childPath(path, key));
      continue;
    }
    if (Object.hasOwn(properties, key)) walk(properties[key], item, childPath(path, key), ctx);
    else if (schema.additionalProperties === false) report('is not an allowed field', childPath(path, key));
    else if (typeof schema.additionalProperties === 'object') {
      walk(schema.additionalProperties, item, childPath(path, key), ctx);
    }
  }
}

// oneOf is used for tagged unions (preprocess.kind): when the branches share a `const`
// discriminator, report the errors of the branch the value claims to be, which reads far
// better than "matches none of 2 schemas".
function checkOneOf(refs, value, path, ctx, report) {
  const branches = refs.map((b) => (b.$ref === undefined ? b : resolveRef(b.$ref, ctx.root)));
  const matching = branches.filter((b) => passes(b, value, path, ctx));
  if (matching.length === 1) return;
  if (matching.length > 1) {
    report('matches more than one allowed shape');
    return;
  }
  if (typeOf(value) === 'object') {
    for (const branch of branches) {
      for (const [key, prop] of Object.entries(branch.properties ?? {})) {
        if (prop && 'const' in prop && value[key] === prop.const) {
          walk(branch, value, path, ctx);
          return;
        }
      }
    }
    const tags = branches.flatMap((b) =>
      Object.entries(b.properties ?? {}).filter(([, p]) => p && 'const' in p).map(([k, p]) => ({ k, v: p.const })),
    );
    if (tags.length === branches.length && tags.every((t) => t.k === tags[0].k)) {
      report(`must be one of ${tags.map((t) => describe(t.v)).join(', ')}`, childPath(path, tags[0].k));
      return;
    }
  }
  report(`does not match any of the ${branches.length} allowed shapes`);
}

const KEYWORDS = Object.fromEntries(
  ['$ref', '$defs', 'type', 'const', 'enum', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum',
    'exclusiveMinimum', 'minItems', 'maxItems', 'items', 'contains', 'required', 'minProperties', 'properties',
    'propertyNames', 'additionalProperties', 'allOf', 'if', 'then', 'oneOf'].map((k) => [k, true]),
);
