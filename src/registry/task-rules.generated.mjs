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
      "input": "a canvas, OffscreenCanvas, ImageBitmap, ImageData, or 784 numbers in [0, 1] (ink = 1) in MNIST framing",
      "result": "`{ label: 0..9, probabilities: number[10] }`"
    },
    "preprocess": {
      "type": "object",
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
      },
      "required": [
        "kind",
        "size",
        "fit",
        "mean",
        "std"
      ],
      "$schema": "https://json-schema.org/draft/2020-12/schema"
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
      "properties": {
        "kind": {
          "const": "tokenizer"
        },
        "maxLength": {
          "type": "integer",
          "minimum": 1
        }
      },
      "required": [
        "kind",
        "maxLength"
      ],
      "$schema": "https://json-schema.org/draft/2020-12/schema"
    },
    "roles": [
      "tokenizer"
    ],
    "labels": true
  },
  "image-classification": {
    "summary": {
      "input": "a canvas, OffscreenCanvas, ImageBitmap, ImageData, decoded `<img>`, or a `Blob`/`File` of an image",
      "result": "`{ label, score, top: [{ label, score }…] }`"
    },
    "preprocess": {
      "type": "object",
      "properties": {
        "kind": {
          "const": "image"
        },
        "height": {
          "type": "integer",
          "minimum": 1
        },
        "width": {
          "type": "integer",
          "minimum": 1
        },
        "widthMultiple": {
          "type": "integer",
          "minimum": 1
        },
        "maxWidth": {
          "type": "integer",
          "minimum": 1
        },
        "resize": {
          "enum": [
            "stretch",
            "contain",
            "cover"
          ],
          "type": "string"
        },
        "align": {
          "enum": [
            "center",
            "start"
          ],
          "type": "string"
        },
        "pad": {
          "type": "number",
          "minimum": 0,
          "maximum": 255
        },
        "channels": {
          "enum": [
            "rgb",
            "bgr"
          ],
          "type": "string"
        },
        "layout": {
          "enum": [
            "nchw",
            "nhwc"
          ],
          "type": "string"
        },
        "scale": {
          "type": "number",
          "exclusiveMinimum": 0
        },
        "mean": {
          "type": "array",
          "items": {
            "type": "number"
          },
          "minItems": 3,
          "maxItems": 3
        },
        "std": {
          "type": "array",
          "items": {
            "type": "number",
            "exclusiveMinimum": 0
          },
          "minItems": 3,
          "maxItems": 3
        },
        "output": {
          "enum": [
            "logits",
            "probabilities"
          ],
          "type": "string"
        },
        "topK": {
          "type": "integer",
          "minimum": 1
        }
      },
      "required": [
        "kind",
        "height",
        "resize",
        "channels",
        "layout",
        "mean",
        "std",
        "output"
      ],
      "$schema": "https://json-schema.org/draft/2020-12/schema"
    },
    "roles": [],
    "labels": true
  },
  "voice-activity": {
    "summary": {
      "input": "a `Float32Array` of samples, or `{ samples, sampleRate }`; streams: `model.stream()`, `listen()`",
      "result": "`{ frames: [{ start, end, probability }…], segments: [{ start, end }…] }`"
    },
    "preprocess": {
      "type": "object",
      "properties": {
        "kind": {
          "const": "vad"
        },
        "sampleRate": {
          "type": "integer",
          "minimum": 8000,
          "maximum": 384000
        },
        "frameSamples": {
          "type": "integer",
          "minimum": 1
        },
        "contextSamples": {
          "type": "integer",
          "minimum": 0
        },
        "audioInput": {
          "type": "string",
          "minLength": 1
        },
        "stateInput": {
          "type": "string",
          "minLength": 1
        },
        "sampleRateInput": {
          "type": "string",
          "minLength": 1
        },
        "probabilityOutput": {
          "type": "string",
          "minLength": 1
        },
        "stateOutput": {
          "type": "string",
          "minLength": 1
        },
        "stateShape": {
          "type": "array",
          "items": {
            "type": "integer",
            "minimum": 1
          },
          "minItems": 1
        }
      },
      "required": [
        "kind",
        "sampleRate",
        "frameSamples",
        "contextSamples",
        "audioInput",
        "stateInput",
        "probabilityOutput",
        "stateOutput",
        "stateShape"
      ],
      "$schema": "https://json-schema.org/draft/2020-12/schema"
    },
    "roles": [],
    "labels": false
  }
};
