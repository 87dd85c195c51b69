// Fails unless every public export (src/index.ts, as TypeDoc reads it) has TSDoc with an
// `@example`, as the design asks: the API reference must show how each is used, not only what it is.
// Reads the JSON that `npm run docs` writes beside the HTML (typedoc.json `outputs`).
import { readFile } from 'node:fs/promises';

const file = process.argv[2] ?? 'site/api/api.json';
const project = JSON.parse(await readFile(file, 'utf8'));

/** The comment of a reflection: its own, or (functions, constructors) its first signature's. */
function commentOf(reflection) {
  return reflection.comment ?? reflection.signatures?.[0]?.comment ?? reflection.type?.declaration?.signatures?.[0]?.comment;
}

const missing = [];
for (const reflection of project.children ?? []) {
  const comment = commentOf(reflection);
  const summary = (comment?.summary ?? [])
    .map((part) => part.text)
    .join('')
    .trim();
  const hasExample = (comment?.blockTags ?? []).some((tag) => tag.tag === '@example');
  if (summary === '' || !hasExample) missing.push(`${reflection.name}${summary === '' ? ' (no summary)' : ''}${hasExample ? '' : ' (no @example)'}`);
}
if (missing.length > 0) {
  console.error(`${missing.length} public export(s) without TSDoc and an @example:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`API docs: all ${project.children.length} public exports have TSDoc with an @example`);
