"""Unlabelled texts for distillation, made only from training rows (never validation or test).

  /usr/bin/python3 training/sentiment/augment.py [--cache training/.cache/sentiment] [--out training/.cache/sentiment-extra]
  node training/sentiment/tokenize.mjs --dir training/.cache/sentiment-extra --from public/models/sentiment/1.2.0/tokenizer.json
  node training/sentiment/teacher-labels.mjs --dir training/.cache/sentiment-extra

A student learns the teacher's function only where it sees the teacher answer, so these texts go where the labelled
rows are thin: two training texts joined by a connective ("A, but B": the clause after "but" usually decides),
single sentences cut from multi-sentence everyday reviews (most labelled everyday rows are whole reviews), and
training texts with the noise people type (a typo, trailing punctuation or an emoticon; shouting would be
the same ids, the tokenizer lower-cases), and, with --facts and --boosts, training texts with a sentence of plain fact
before or after them and training texts with an intensifier put before a common opinion word ("good" -> "pretty good")
(tried on 2026-12-07 for the behavioural families; not in 1.3.0-rc.1's rows). The fact sentences and
the intensifiers are this file's own lists, not the behavioural tests' (scripts/eval/behaviour.mjs), so those tests
still measure what the student makes of words it was not shown in that role. They carry no
label; the teacher (teacher-labels.mjs) gives each its soft label, and train.py --extra trains on that alone.
"""
import argparse
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from common import CACHE  # noqa: E402

CONNECTIVES = [', but ', '. but ', ' but ', ', yet ', '. however, ', ', although ', ' and ', '. ', ', though ']
TAILS = ['!', '!!!', '...', '?', ' :)', ' :(', ' lol', ' :-)', ' ;)']
FACTS = ['I got it as a gift.', 'We arrived around noon.', 'The receipt is still in the drawer.', 'My sister came along.',
         'It was the second week of May.', 'I paid with a card.', 'The box was blue.', 'We took the bus there.',
         'I have owned it for a year now.', 'It was a weekday.', 'My friend picked it.', 'There were four of us.',
         'I ordered it online.', 'We parked on the street.', 'It was my first time.', 'I came back from work late.']
BOOSTS = ['quite', 'pretty', 'rather', 'remarkably', 'particularly', 'exceptionally', 'seriously', 'fairly']
OPINION_WORDS = {'good', 'bad', 'great', 'nice', 'poor', 'boring', 'funny', 'awful', 'terrible', 'fine', 'slow', 'fast',
                 'friendly', 'rude', 'helpful', 'useless', 'cheap', 'dull', 'clever', 'beautiful', 'ugly', 'happy',
                 'disappointing', 'enjoyable', 'interesting', 'comfortable', 'tasty', 'bland', 'weak', 'strong'}


def words(text):
    return len(text.split())


def typo(text, rng):
    """One edit inside one word of four letters or more: a swap, a drop or a doubled letter."""
    tokens = text.split(' ')
    long_words = [k for k, t in enumerate(tokens) if len(t) >= 4 and t.isalpha()]
    if not long_words:
        return text
    k = rng.choice(long_words)
    w = tokens[k]
    i = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(3)
    tokens[k] = (w[:i] + w[i + 1] + w[i] + w[i + 2:] if kind == 0 else
                 w[:i] + w[i + 1:] if kind == 1 else w[:i] + w[i] + w[i:])
    return ' '.join(tokens)


def sentences(text):
    return [s.strip() for s in re.split(r'(?<=[.!?])\s+', text) if 3 <= words(s) <= 40]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cache', default=os.path.join(CACHE, 'sentiment'))
    ap.add_argument('--out', default=os.path.join(CACHE, 'sentiment-extra'))
    ap.add_argument('--pairs', type=int, default=30000)
    ap.add_argument('--cuts', type=int, default=25000)
    ap.add_argument('--noisy', type=int, default=15000)
    # 0 by default: 1.3.0-rc.1's rows. The 2026-12-07 experiment (training/README.md) used 10000 of each.
    ap.add_argument('--facts', type=int, default=0, help='training texts with a sentence of plain fact added')
    ap.add_argument('--boosts', type=int, default=0, help='training texts with an intensifier put before an opinion word')
    ap.add_argument('--seed', type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rows = [json.loads(l) for l in open(os.path.join(args.cache, 'rows.jsonl'), encoding='utf-8')]
    train = [r for r in rows if r['split'] == 'train']
    seen = {r['text'].lower() for r in rows}  # never emit a text that is already a row (of any split)
    clauses = [r['text'] for r in train if 4 <= words(r['text']) <= 25]
    every = [r['text'] for r in train if r['source'] != 'sst2']
    cut_pool = [s for t in every for s in sentences(t)]
    out = []

    def emit(text, kind):
        if text.lower() not in seen:
            seen.add(text.lower())
            out.append({'text': text, 'split': 'train', 'source': f'extra-{kind}'})

    for _ in range(args.pairs):
        a, b = rng.sample(clauses, 2)
        emit(a.rstrip(' .!') + rng.choice(CONNECTIVES) + b[0].lower() + b[1:], 'pair')
    for s in rng.sample(cut_pool, min(args.cuts, len(cut_pool))):
        emit(s, 'cut')
    for _ in range(args.noisy):
        t = rng.choice(clauses)
        kind = rng.randrange(3)
        tail = t.rstrip(' .') + rng.choice(TAILS)
        emit(typo(t, rng) if kind == 0 else typo(tail, rng) if kind == 1 else tail, 'noisy')
    for _ in range(args.facts):
        t = rng.choice(clauses).rstrip(' ')
        t = t if t[-1] in '.!?' else t + '.'
        fact = rng.choice(FACTS)
        emit(f'{fact} {t}' if rng.random() < 0.5 else f'{t} {fact}', 'fact')
    boostable = [t for t in clauses if any(w in OPINION_WORDS for w in t.lower().split())]
    for t in rng.sample(boostable, min(args.boosts, len(boostable))):
        tokens = t.split(' ')
        k = rng.choice([i for i, w in enumerate(tokens) if w.lower() in OPINION_WORDS])
        emit(' '.join(tokens[:k] + [rng.choice(BOOSTS)] + tokens[k:]), 'boost')
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'rows.jsonl'), 'w', encoding='utf-8') as f:
        for r in out:
            f.write(json.dumps(r) + '\n')
    counts = {k: sum(r['source'] == f'extra-{k}' for r in out) for k in ('pair', 'cut', 'noisy', 'fact', 'boost')}
    print(json.dumps({'rows': len(out), **counts, 'from_training_rows': len(train)}))


if __name__ == '__main__':
    main()
