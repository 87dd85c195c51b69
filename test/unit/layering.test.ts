// Public types sit at the bottom of the import graph: src/protocol/ may import its own files,
// errors.ts and packages, never registry/, cache/, runtime/, tasks/, client/ or worker/ (which
// all import protocol/). madge finds cycles; this finds the wrong direction before it becomes one.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const PROTOCOL = path.resolve(import.meta.dirname, '../../src/protocol');

/** Every module specifier a file names: static imports, re-exports, dynamic imports, `declare module`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:\bfrom|\bimport|\bdeclare module)\s*\(?\s*['"]([^'"]+)['"]/g)) found.push(match[1]);
  return found;
}

const SRC = path.dirname(PROTOCOL);

/** A package, or a file of protocol/ itself, or errors.ts (which imports nothing). */
const allowed = (specifier: string): boolean => {
  if (!specifier.startsWith('.')) return true;
  const target = path.resolve(PROTOCOL, specifier);
  return path.dirname(target) === PROTOCOL || target === path.join(SRC, 'errors.js');
};

describe('layering', () => {
  it('finds the specifiers of each kind of import', () => {
    const source = `import type { A } from '../cache/a.js';\nexport { B } from "./b.js";\nconst c = await import('../runtime/c.js');\nimport 'side-effect';`;
    expect(specifiers(source)).toEqual(['../cache/a.js', './b.js', '../runtime/c.js', 'side-effect']);
    expect(specifiers(source).filter((s) => !allowed(s))).toEqual(['../cache/a.js', '../runtime/c.js']);
  });

  it('src/protocol imports nothing above it', () => {
    const files = readdirSync(PROTOCOL).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const upward = files.flatMap((name) =>
      specifiers(readFileSync(path.join(PROTOCOL, name), 'utf8'))
        .filter((specifier) => !allowed(specifier))
        .map((specifier) => `${name} → ${specifier}`),
    );
    expect(upward).toEqual([]);
  });
});
