#!/usr/bin/env bash
# Sentiment 1.3.0: one CNN distilled from the shipped 1.2.0 ensemble, on 2 CPU cores (no GPU needed).
#   1. the ensemble's soft labels on every training/validation row (teacher-labels.mjs, ~13 min on a busy machine)
#   2. unlabelled texts made from training rows (augment.py), tokenised with the shipped tokenizer, and their soft
#      labels (~10 min)
#   3. two students side by side, one thread each (train.py --soft-labels --extra); the one with the better
#      validation score is exported by export.py (the test splits are evaluated once there).
# Needs prepare_data.py and `tokenize.mjs --from public/models/sentiment/1.2.0/tokenizer.json` run first.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-/usr/bin/python3}"
OUT=training/.cache/distil
TOKENIZER=public/models/sentiment/1.2.0/tokenizer.json
mkdir -p "$OUT"

[ -s training/.cache/sentiment/teacher.jsonl ] || node training/sentiment/teacher-labels.mjs
if [ ! -s training/.cache/sentiment-extra/teacher.jsonl ]; then
  "$PY" training/sentiment/augment.py
  node training/sentiment/tokenize.mjs --dir training/.cache/sentiment-extra --from "$TOKENIZER"
  node training/sentiment/teacher-labels.mjs --dir training/.cache/sentiment-extra
fi

student() {  # name, then train.py flags
  local name=$1
  shift
  "$PY" training/sentiment/train.py --arch cnn --dropout 0.5 --lr 1e-3 --threads 1 --no-export --eval-minutes 30 \
    --soft-labels training/.cache/sentiment/teacher.jsonl --extra training/.cache/sentiment-extra \
    --distil-weight 0.8 --distil-temp 2 --everyday-repeat 3 --epochs 8 \
    --checkpoint "$OUT/$name.pt" "$@" > "$OUT/$name.log" 2>&1
}
student cnn-e96-f128-w2345 --emb 96 --filters 128 --widths 2,3,4,5 &
student cnn-e96-f160-w12345 --emb 96 --filters 160 --widths 1,2,3,4,5 --seed 2
wait
grep -h 'best validation' "$OUT"/*.log
