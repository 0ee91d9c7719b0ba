#!/usr/bin/env bash
# Retrain the rank stage's model (rules/ranker.json) on every dev label the project has, as shipped
# (docs/rules-eval.md, fifteenth section). Run from the repository root after changing a rule:
#     tools/train_ranker.sh            # writes rules/ranker.json
#     tools/train_ranker.sh OUT.json   # writes elsewhere (to compare)
# Needs ../shared (real laws and 23-ward texts) and ../extra/fresh18..25 (gold/wide/fetch_fresh.py).
# Only documents of split dev are used (the default of train-ranker); batches after 25 stay unseen.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-rules/ranker.json}
gold=()
for f in gold/wide/national*.jsonl gold/wide/municipal.jsonl; do gold+=(--gold "$f"); done
for b in 18 19 20 21 22 23 24 25; do gold+=(--gold "gold/wide/fresh$b.jsonl"); done
gold+=(--gold corpora/labels.jsonl --gold ../shared/labels-dev/labels.jsonl)
gold+=(--gold gold/labels-extra.jsonl --gold gold/unlabelled.jsonl)
paths=(../shared/corpus/national_laws_2013/more/text ../shared/corpus/municipal_23ku)
for b in 18 19 20 21 22 23 24 25; do paths+=("../extra/fresh$b"); done
paths+=(corpora/reiki ../shared/corpus/national_laws_2013/text)
exec .venv/bin/analogscan rules train-ranker "${gold[@]}" "${paths[@]}" -o "$out"
