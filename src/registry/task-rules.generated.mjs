// Written by scripts/write-task-rules.mjs from src/tasks/task-table.ts: do not edit; run `npm run tasks:rules`.
// What a registry entry of each task must hold, for the manifest schema and the CLI.

/** @type {Readonly<Record<string, { summary: { input: string, result: string }, preprocess: Record<string, unknown> | null, roles: string[], labels: boolean }>>} */
export const TASK_RULES = {
  "tensor": {
    "summary": {
      "input": "named tensors `{ [input]: { type, data, dims } }` (as `run()`)",
      "result": "named output tensors"
    },
    "preprocess": null,
    "roles": [],
    "labels": false
  },
  "digits": {
    "summary": {
      "input": "a canvas, OffscreenCanvas, ImageBitmap, ImageData, or 784 numbers in MNIST framing",
      "result": "`{ label: 0..9, probabilities: number[10] }`"
    },
    "preprocess": {
      "type": "object",
      "required": [
        "kind",
        "size",
        "fit",
        "mean",
        "std"
      ],
      "properties": {
        "kind": {
          "const": "mnist"
        },
        "size": {
          "type": "integer",
          "minimum": 1
        },
        "fit": {
          "type": "integer",
          "minimum": 1
        },
        "mean": {
          "type": "number"
        },
        "std": {
          "type": "number",
          "exclusiveMinimum": 0
        }
      }
    },
    "roles": [],
    "labels": true
  },
  "text-classification": {
    "summary": {
      "input": "a string, or an array of strings",
      "result": "`{ label, score, scores, truncated }`, or one per string"
    },
    "preprocess": {
      "type": "object",
      "required": [
        "kind",
        "maxLength"
      ],
      "properties": {
        "kind": {
          "const": "tokenizer"
        },
        "maxLength": {
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "roles": [
      "tokenizer"
    ],
    "labels": true
  }
};
