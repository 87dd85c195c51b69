// Types for semver-pattern.mjs (plain JS so the Node CLI can import it without a build step).
export const SEMVER_PATTERN: string;
