# Sourced by sweep.sh and sweep-distil.sh (they set PY and CACHE): one GPU training run in the background.
# train_in DIR NAME [train.py arguments]: writes DIR/NAME.pt and DIR/NAME.log.
train_in() {
  local dir="$1" name="$2"; shift 2
  "$PY" -u training/sentiment/train.py --cache "$CACHE" --no-export --checkpoint "$dir/$name.pt" --threads 2 \
    --epochs 40 "$@" > "$dir/$name.log" 2>&1 &
}
