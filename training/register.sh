#!/usr/bin/env bash
# Writes the registry entries of the shipped models (sha256, bytes, card fields) into public/models/registry.json
# with the registry CLI. Run after training (and after scripts/evaluate-models.mjs confirmed the metrics).
# Earlier versions stay in the registry as published (an app may pin one, e.g. 'sentiment@1.2.0'); only the versions
# the trainers write now (their cards are training/*/card.json) are (re)written here.
set -euo pipefail
cd "$(dirname "$0")/.."
REG=public/models/registry.json
node bin/inpage-registry.mjs add public/models/mnist/1.1.0 --id mnist --version 1.1.0 --task digits \
  --registry "$REG" --card training/mnist/card.json --force
node bin/inpage-registry.mjs add public/models/sentiment/1.3.0 --id sentiment --version 1.3.0 \
  --task text-classification --registry "$REG" --card training/sentiment/card.json --force
node bin/inpage-registry.mjs verify --registry "$REG"
