#!/usr/bin/env bash
# Trains several sentiment configurations at once on one GPU (the shipped model came from such a sweep; see
# training/README.md) and ranks them by validation score only. Usage:
#   bash training/sentiment/sweep.sh OUT_DIR [CACHE_DIR] [MINUTES]
# Each run writes OUT_DIR/<name>.pt and OUT_DIR/<name>.log; OUT_DIR/ranking.json lists them best first.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$1"; CACHE="${2:-training/.cache/sentiment}"; MIN="${3:-8}"
PY="${PYTHON:-python3}"
mkdir -p "$OUT"
half=$(awk "BEGIN{print $MIN/2}")
source training/sentiment/sweep-lib.sh
run() { train_in "$OUT" "$@"; }  # name, then train.py arguments
pt=(--pretrain-minutes "$half" --budget-minutes "$half")
run l4-d128-scratch  --layers 4 --d 128 --ff 256 --lr 1e-3 --budget-minutes "$MIN"
run l4-d128-mlm      --layers 4 --d 128 --ff 256 --lr 5e-4 "${pt[@]}"
run l3-d160-mlm      --layers 3 --d 160 --ff 320 --lr 5e-4 "${pt[@]}"
run l2-d192-mlm      --layers 2 --d 192 --ff 384 --lr 5e-4 "${pt[@]}"
run l6-d128-e48-mlm  --layers 6 --d 128 --ff 256 --emb 48 --lr 5e-4 "${pt[@]}"
run l4-d256-mlm      --layers 4 --d 256 --ff 512 --emb 128 --lr 3e-4 "${pt[@]}"
run l1-d128-scratch  --layers 1 --d 128 --ff 256 --lr 2e-3 --budget-minutes "$MIN"
run l4-d128-mlm-lr1e3 --layers 4 --d 128 --ff 256 --lr 1e-3 --dropout 0.15 "${pt[@]}"
wait
"$PY" training/sentiment/rank.py "$OUT"
