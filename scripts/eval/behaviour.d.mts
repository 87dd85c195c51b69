// Types for behaviour.mjs (used by test/unit/behaviour-suite.test.ts).
export type BehaviourKind = 'MFT' | 'INV';
export interface BehaviourTest {
  family: string;
  kind: BehaviourKind;
  title: string;
}
export type BehaviourCase =
  { family: string; kind: 'MFT'; text: string; label: 0 | 1 } | { family: string; kind: 'INV'; text: string; original: string };
export interface BehaviourScore extends BehaviourTest {
  n: number;
  passed: number;
  rate: number;
}

export declare const BEHAVIOUR_TESTS: BehaviourTest[];
export declare function buildBehaviourSuite(options?: { seed?: number; perTest?: number }): BehaviourCase[];
export declare function suiteTexts(cases: BehaviourCase[]): string[];
export declare function scoreBehaviour(cases: BehaviourCase[], labelOf: (text: string) => number): BehaviourScore[];
