#!/usr/bin/env bash
# Trains the ensemble candidates that need no GPU: two n-gram models (about a minute each) and nine CNNs
# (7-16 min each on one core; two run at a time), into training/.cache/{ngram*.pt,cnn/}. The transformer
# candidates come from sweep-distil.sh (GPU). Then: ensemble.py picks the members, export.py writes the model.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-/usr/bin/python3}"
OUT=training/.cache
mkdir -p "$OUT/cnn"

"$PY" training/sentiment/ngram.py --out "$OUT/ngram.pt"
"$PY" training/sentiment/ngram.py --optimizer adam --lr 0.003 --seed 1 --out "$OUT/ngram-adam.pt"

cnn() {  # name, then train.py flags
  local name=$1
  shift
  "$PY" training/sentiment/train.py --arch cnn --dropout 0.5 --lr 1e-3 --threads 1 --no-export --eval-minutes 30 \
    --checkpoint "$OUT/cnn/$name.pt" "$@" > "$OUT/cnn/$name.log" 2>&1
}
cnn cnn-e96-f128 --emb 96 --filters 128 --epochs 8 &
cnn cnn-e128-f160-s2 --emb 128 --filters 160 --epochs 8 --seed 2
wait
cnn cnn-e96-f128-s3 --emb 96 --filters 128 --epochs 8 --seed 3 &
cnn cnn-w2345-s4 --emb 128 --filters 128 --widths 2,3,4,5 --epochs 8 --seed 4 --everyday-repeat 3
wait
cnn cnn-e128-f160-s6 --emb 128 --filters 160 --epochs 8 --seed 6 --everyday-repeat 3 &
cnn cnn-e64-w2345-s7 --emb 64 --filters 128 --widths 2,3,4,5 --epochs 8 --seed 7 --everyday-repeat 3
wait
cnn cnn-e64-w2345-s8 --emb 64 --filters 128 --widths 2,3,4,5 --epochs 8 --seed 8 --everyday-repeat 3 &
cnn cnn-e96-w2345-s9 --emb 96 --filters 128 --widths 2,3,4,5 --epochs 8 --seed 9 --everyday-repeat 3
wait
cnn cnn-e96-w2345-s10 --emb 96 --filters 128 --widths 2,3,4,5 --epochs 8 --seed 10 --everyday-repeat 3
grep -h 'best validation' "$OUT"/cnn/*.log
