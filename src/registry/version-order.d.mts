// Types for version-order.mjs (plain JS so the Node CLI and scripts can import it without a build step).
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: (string | number)[];
}

export function parseVersion(text: string): SemVer | null;
export function compareParsedVersions(a: SemVer, b: SemVer): number;
export function compareVersions(a: string, b: string): number;
export function defaultVersion(versions: readonly string[]): string | undefined;
