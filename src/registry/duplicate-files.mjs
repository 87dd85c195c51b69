// A rule no schema can say, shared by the SDK and the `inpage-registry` CLI (plain JS: the CLI has no
// build step): loaded files are looked up by role, so a role may appear once per version, and two
// entries for the same path would make the download ambiguous. Run only on a manifest whose shape
// the schema has already accepted.

/**
 * @param {{ models: Record<string, { versions: Record<string, { files: { path: string, role: string }[] }> }> }} manifest
 * @param {{ path: string, message: string }[]} problems appended to, up to `limit`
 * @param {number} limit
 */
export function findDuplicateFiles(manifest, problems, limit) {
  for (const [id, entry] of Object.entries(manifest.models)) {
    for (const [version, model] of Object.entries(entry.versions)) {
      const seenRoles = new Set();
      const seenPaths = new Set();
      model.files.forEach((file, i) => {
        const at = `models.${id}.versions.${version}.files[${i}]`;
        if (seenRoles.has(file.role) && problems.length < limit) {
          problems.push({ path: `${at}.role`, message: `role "${file.role}" appears more than once` });
        }
        if (seenPaths.has(file.path) && problems.length < limit) {
          problems.push({ path: `${at}.path`, message: `"${file.path}" is listed more than once` });
        }
        seenRoles.add(file.role);
        seenPaths.add(file.path);
      });
    }
  }
}
