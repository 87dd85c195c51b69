#!/usr/bin/env bash
# Second sweep: trains an ensemble of teachers in parallel, then students of the shippable size (<= 5 MB float32)
# distilled from the ensemble, beside an undistilled control; everything ranked by validation score only.
#   bash training/sentiment/sweep-distil.sh OUT_DIR [CACHE_DIR] [TEACHER_MINUTES] [STUDENT_MINUTES]
# With TEACHERS=a.pt,b.pt,... in the environment the teacher phase is skipped and those checkpoints are used.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$1"; CACHE="${2:-training/.cache/sentiment}"; TM="${3:-4.2}"; SM="${4:-4}"
PY="${PYTHON:-python3}"
mkdir -p "$OUT/teachers"
source training/sentiment/sweep-lib.sh
run() { train_in "$@"; }  # dir, name, then train.py arguments
T="$OUT/teachers"
if [ -z "${TEACHERS:-}" ]; then
run "$T" t-l4-d256-s1 --layers 4 --d 256 --ff 512 --emb 128 --lr 5e-4 --budget-minutes "$TM" --seed 11
run "$T" t-l4-d256-s2 --layers 4 --d 256 --ff 512 --emb 128 --lr 5e-4 --budget-minutes "$TM" --seed 12
run "$T" t-l4-d128-s1 --layers 4 --d 128 --ff 256 --lr 1e-3 --budget-minutes "$TM" --seed 13
run "$T" t-l4-d128-s2 --layers 4 --d 128 --ff 256 --lr 1e-3 --budget-minutes "$TM" --seed 14
run "$T" t-l2-d192    --layers 2 --d 192 --ff 384 --lr 1e-3 --budget-minutes "$TM" --seed 15
run "$T" t-l1-d128    --layers 1 --d 128 --ff 256 --lr 2e-3 --budget-minutes "$TM" --seed 16
wait
fi
teachers="${TEACHERS:-$(ls "$T"/*.pt | paste -sd, -)}"
run "$OUT" s-l4-d128-kd07 --layers 4 --d 128 --ff 256 --lr 1e-3 --budget-minutes "$SM" --teachers "$teachers" --distil-weight 0.7
run "$OUT" s-l4-d128-kd05 --layers 4 --d 128 --ff 256 --lr 1e-3 --budget-minutes "$SM" --teachers "$teachers" --distil-weight 0.5
run "$OUT" s-l3-d144-kd07 --layers 3 --d 144 --ff 288 --lr 1e-3 --budget-minutes "$SM" --teachers "$teachers" --distil-weight 0.7
run "$OUT" s-l4-d128-rep3 --layers 4 --d 128 --ff 256 --lr 1e-3 --budget-minutes "$SM" --everyday-repeat 3
wait
"$PY" training/sentiment/rank.py "$OUT" "$T"
