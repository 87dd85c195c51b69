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
  },
  "image-classification": {
    "summary": {
      "input": "a canvas, OffscreenCanvas, ImageBitmap, ImageData, decoded `<img>`, or a `Blob`/`File` of an image",
      "result": "`{ label, score, top: [{ label, score }…] }`"
    },
    "preprocess": {
      "type": "object",
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
          ]
        },
        "align": {
          "enum": [
            "center",
            "start"
          ]
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
          ]
        },
        "layout": {
          "enum": [
            "nchw",
            "nhwc"
          ]
        },
        "scale": {
          "type": "number",
          "exclusiveMinimum": 0
        },
        "mean": {
          "type": "array",
          "minItems": 3,
          "maxItems": 3,
          "items": {
            "type": "number"
          }
        },
        "std": {
          "type": "array",
          "minItems": 3,
          "maxItems": 3,
          "items": {
            "type": "number",
            "exclusiveMinimum": 0
          }
        },
        "output": {
          "enum": [
            "logits",
            "probabilities"
          ]
        },
        "topK": {
          "type": "integer",
          "minimum": 1
        }
      }
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
          "minItems": 1,
          "items": {
            "type": "integer",
            "minimum": 1
          }
        }
      }
    },
    "roles": [],
    "labels": false
  }
};
