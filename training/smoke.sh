#!/usr/bin/env bash
# CI smoke test of the training code: both models on a few hundred examples, one epoch, ONNX export and
# torch-vs-onnxruntime-node parity. Writes only to a temporary folder (never over public/models).
# Needs: Debian torch/onnx/numpy (/usr/bin/python3 or $PYTHON), node with the repo's node_modules,
# the data sets at <repo>/../shared/datasets (or $INPAGE_DATA_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-/usr/bin/python3}"
DATA="${INPAGE_DATA_DIR:-$(pwd)/../shared/datasets}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/inpage-smoke-XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s)

echo "== mnist smoke"
"$PY" -W ignore training/mnist/train.py --smoke --data "$DATA" --out "$TMP/mnist"

echo "== sentiment smoke"
"$PY" training/sentiment/prepare_data.py --smoke --data "$DATA" --out "$TMP/sentiment-cache" > /dev/null
"$PY" training/sentiment/prepare_data.py --smoke --sst2-val sentences --data "$DATA" --out "$TMP/sentiment-sv" > /dev/null
node training/sentiment/tokenize.mjs --dir "$TMP/sentiment-cache"
"$PY" -W ignore training/sentiment/train.py --smoke --cache "$TMP/sentiment-cache" --out "$TMP/sentiment/1.1.0" \
  --checkpoint "$TMP/sentiment.pt"
echo "== sentiment distillation smoke (the checkpoint above as the teacher)"
"$PY" -W ignore training/sentiment/train.py --smoke --cache "$TMP/sentiment-cache" --no-export \
  --checkpoint "$TMP/student.pt" --teachers "$TMP/sentiment.pt"

echo "== sentiment one-network distillation smoke (1.3.0's path: an exported ONNX teacher's soft labels on the rows"
echo "   and on augmented unlabelled texts, a CNN student, int8 export with a fitted temperature)"
node training/sentiment/teacher-labels.mjs --dir "$TMP/sentiment-cache" --model "$TMP/sentiment/1.1.0/onnx/model.onnx"
"$PY" training/sentiment/augment.py --cache "$TMP/sentiment-cache" --out "$TMP/sentiment-extra" --pairs 200 --cuts 100 --noisy 100
node training/sentiment/tokenize.mjs --dir "$TMP/sentiment-extra" --from "$TMP/sentiment-cache/tokenizer.json"
node training/sentiment/teacher-labels.mjs --dir "$TMP/sentiment-extra" --model "$TMP/sentiment/1.1.0/onnx/model.onnx"
"$PY" -W ignore training/sentiment/train.py --smoke --arch cnn --cache "$TMP/sentiment-cache" --out "$TMP/sentiment/1.3.0" \
  --checkpoint "$TMP/distilled.pt" --soft-labels "$TMP/sentiment-cache/teacher.jsonl" --extra "$TMP/sentiment-extra"

echo "== sentiment ensemble smoke (a CNN, the n-gram model and the checkpoints above in one int8 graph)"
"$PY" -W ignore training/sentiment/train.py --smoke --arch cnn --cache "$TMP/sentiment-cache" --no-export \
  --checkpoint "$TMP/cnn.pt" --keep-epoch 1
"$PY" -W ignore training/sentiment/ngram.py --epochs 1 --cache "$TMP/sentiment-cache" --out "$TMP/ngram.pt"
echo "== sentiment CNN + n-gram network smoke (the two checkpoints as one network's paths, distilled further, int8 export)"
"$PY" -W ignore training/sentiment/train.py --smoke --arch cnn+ngram --buckets 262144 --cache "$TMP/sentiment-cache" \
  --out "$TMP/sentiment/1.3.0-wide" --checkpoint "$TMP/cnn-ngram.pt" --init "$TMP/cnn.pt" --init-ngram "$TMP/ngram.pt" \
  --soft-labels "$TMP/sentiment-cache/teacher.jsonl" --extra "$TMP/sentiment-extra"
echo "== sentiment widening smoke (the CNN above with twice its filters, same function)"
"$PY" training/sentiment/widen.py "$TMP/cnn.pt" "$TMP/cnn-wide.pt" --filters 256
echo "== sentiment ensemble smoke (continued)"
"$PY" -W ignore training/sentiment/ensemble.py "$TMP/sentiment.pt" "$TMP/student.pt" "$TMP/cnn.pt" "$TMP/ngram.pt" \
  --cache "$TMP/sentiment-cache" --min-members 4 --out "$TMP/ensemble.json"
"$PY" -W ignore training/sentiment/export.py --smoke --checkpoint "$TMP/ensemble.json" \
  --cache "$TMP/sentiment-cache" --out "$TMP/sentiment-ensemble/1.2.0"

echo "== smoke OK in $(( $(date +%s) - start )) s"
