// Types for chart.mjs (plain JS: bench/run.mjs runs in Node with no build step).
export interface BenchTarget {
  name: string;
  value: number;
  limit: number;
  op: '<=' | '>=' | '==';
  pass: boolean;
  section?: string;
}
export function sectionOf(target: BenchTarget): string;
export function ratioToTarget(target: BenchTarget): number;
export function targetsChart(results: { targets?: BenchTarget[]; machine?: Record<string, unknown> }): string;
export function writeTargetsChart(root: URL): Promise<void>;
