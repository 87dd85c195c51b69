#!/usr/bin/env bash
# The 2026-12-07 attempt at the behavioural families (training/README.md, "1.3.0 attempts"): 1.3.0-rc.1's recipe on
# 16,520 more unlabelled rows (augment.py --facts/--boosts: a plain fact sentence added, an intensifier before an
# opinion word), two students side by side on 2 CPU cores (one thread each, ~27 and ~55 min):
#   s2: rc.1's student continued for 4 epochs at a lower rate;  s1: a fresh student, another seed, 8 epochs.
# Needs distil-cpu.sh run first (the teacher's labels, rc.1's checkpoint).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-/usr/bin/python3}"
OUT=training/.cache/distil
EXTRA=training/.cache/sentiment-extra2
TOKENIZER=public/models/sentiment/1.2.0/tokenizer.json

if [ ! -s "$EXTRA/teacher.jsonl" ]; then
  "$PY" training/sentiment/augment.py --out "$EXTRA" --facts 10000 --boosts 10000
  node training/sentiment/tokenize.mjs --dir "$EXTRA" --from "$TOKENIZER"
  node training/sentiment/teacher-labels.mjs --dir "$EXTRA"
fi

student() {  # name, then train.py flags
  local name=$1
  shift
  "$PY" training/sentiment/train.py --arch cnn --dropout 0.5 --threads 1 --no-export --eval-minutes 30 \
    --soft-labels training/.cache/sentiment/teacher.jsonl --extra "$EXTRA" \
    --distil-weight 0.8 --distil-temp 2 --everyday-repeat 3 \
    --checkpoint "$OUT/$name.pt" "$@" > "$OUT/$name.log" 2>&1
}
student s1-f160-aug --lr 1e-3 --epochs 8 --emb 96 --filters 160 --widths 1,2,3,4,5 --seed 3 &
student s2-f160-cont --lr 4e-4 --epochs 4 --init "$OUT/cnn-e96-f160-w12345.pt" --seed 4
wait
grep -h 'best validation' "$OUT"/s1-f160-aug.log "$OUT"/s2-f160-cont.log
