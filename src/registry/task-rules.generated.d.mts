// Types for task-rules.generated.mjs (written from src/tasks/task-table.ts by scripts/write-task-rules.mjs).
export interface TaskRule {
  summary: { input: string; result: string };
  preprocess: Readonly<Record<string, unknown>> | null;
  roles: string[];
  labels: boolean;
}
export const TASK_RULES: Readonly<Record<string, TaskRule>>;
