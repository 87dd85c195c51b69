// Semantic Versioning 2.0.0, the grammar from semver.org: one pattern for the manifest schema
// (version keys), the version parser the SDK and the CLI share, and the CLI's --version check.
// Plain JS so the CLI (Node, no build step) imports it as it is.

export const SEMVER_PATTERN =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)' +
  '(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?' +
  '(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$';
