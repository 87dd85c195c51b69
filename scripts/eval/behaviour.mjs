// Behavioural tests for a binary sentiment model, in the spirit of CheckList (Ribeiro et al. 2020): cases this
// module writes itself from small lexicons and templates (four domains: movies, restaurants, products, airlines),
// deterministic for a seed. Two kinds of test:
//   MFT (minimum functionality): the model must give the case's expected label (0 negative, 1 positive).
//   INV (invariance): the model must give the perturbed text the label it gives the original text.
// No model is run here: buildBehaviourSuite() makes the cases, scoreBehaviour() judges given labels.

/** The tests in report order: family, kind, and what the row says. */
export const BEHAVIOUR_TESTS = [
  { family: 'plain', kind: 'MFT', title: 'plain sentences' },
  { family: 'negation', kind: 'MFT', title: 'negation' },
  { family: 'contrast', kind: 'MFT', title: 'contrast (X but Y)' },
  { family: 'intensifiers', kind: 'MFT', title: 'intensifiers' },
  { family: 'intensifiers', kind: 'INV', title: 'intensifiers' },
  { family: 'fillers', kind: 'INV', title: 'neutral fillers' },
  { family: 'typos', kind: 'INV', title: 'typos' },
  { family: 'upper-case', kind: 'INV', title: 'upper case' },
  { family: 'emoji-punctuation', kind: 'INV', title: 'emoji & punctuation' },
  { family: 'emoji-punctuation', kind: 'MFT', title: 'emoji & punctuation' },
];

// ---- lexicons -------------------------------------------------------------------------------------------------
// Each domain: groups of nouns with adjectives that fit them (index 0 negative, 1 positive; the first group holds
// things one can love or hate, the second people or parts), whole sentences (the sentiment-bearing words marked
// *like this*), mildly negative/positive statements of fact, and neutral fillers.
const DOMAINS = [
  {
    name: 'movies',
    groups: [
      {
        nouns: ['movie', 'film', 'story', 'script', 'sequel'],
        adj: [
          ['dull', 'predictable', 'boring', 'pointless'],
          ['gripping', 'moving', 'funny', 'clever'],
        ],
      },
      {
        nouns: ['acting', 'cast', 'soundtrack'],
        adj: [
          ['wooden', 'forgettable', 'weak'],
          ['superb', 'memorable', 'brilliant'],
        ],
      },
    ],
    sentences: [
      [
        'The plot made no sense and the acting was *wooden*.',
        'One of the *worst* films I have seen this year.',
        'I was *bored* from start to finish.',
        'A *tedious* film with a *forgettable* cast.',
        'The ending *ruined* the whole thing.',
        'I *wasted* two hours on this.',
      ],
      [
        'The acting was *superb* and the story kept me *hooked*.',
        'One of the *best* films I have seen this year.',
        'I *laughed* from start to finish.',
        'A *beautiful* film with a *wonderful* cast.',
        'The ending was *perfect*.',
        'I would *happily* watch it again.',
      ],
    ],
    mild: [
      [
        'I checked my phone a few times during the film.',
        'We left before the ending.',
        'The film ran a bit long.',
        'I fell asleep halfway through.',
        'The jokes mostly missed.',
      ],
      [
        'The film kept the kids busy for two hours.',
        'We stayed until the end of the credits.',
        'I would watch the sequel.',
        'My friend wants to see it again.',
        'The jokes mostly landed.',
      ],
    ],
    fillers: ['I watched it on a Tuesday.', 'I saw it at the cinema near my office.', 'It was showing at eight.', 'I went with my brother.'],
  },
  {
    name: 'restaurants',
    groups: [
      {
        nouns: ['food', 'pasta', 'soup', 'dessert', 'pizza'],
        adj: [
          ['bland', 'stale', 'greasy'],
          ['delicious', 'tasty', 'fresh'],
        ],
      },
      {
        nouns: ['waiter', 'staff', 'service'],
        adj: [
          ['rude', 'slow', 'careless'],
          ['friendly', 'attentive', 'helpful'],
        ],
      },
    ],
    sentences: [
      [
        'The food was *cold* and the staff were *rude*.',
        'The *worst* pizza in town.',
        'Everything we ordered was *awful*.',
        'The waiter was *rude* and *slow*.',
        'We *hated* every dish.',
        'I would *never* go back.',
      ],
      [
        'The food was *delicious* and the staff were *lovely*.',
        'The *best* pizza in town.',
        'Everything we ordered was *fantastic*.',
        'The waiter was *friendly* and *quick*.',
        'We *loved* every dish.',
        'I *highly* recommend this place.',
      ],
    ],
    mild: [
      [
        'We waited forty minutes for a table.',
        'The soup arrived lukewarm.',
        'They forgot one of our dishes.',
        'The bill was higher than the menu said.',
        'Our table was next to the kitchen door.',
      ],
      [
        'The food came out quickly.',
        'We will probably come back next week.',
        'The portions were big enough to share.',
        'They found us a table without a booking.',
        'The waiter remembered our order.',
      ],
    ],
    fillers: ['We went there for lunch.', 'We sat by the window.', 'It is on the corner of the main street.', 'I had been there once before.'],
  },
  {
    name: 'products',
    groups: [
      {
        nouns: ['phone', 'laptop', 'blender', 'vacuum', 'camera'],
        adj: [
          ['flimsy', 'unreliable', 'noisy'],
          ['reliable', 'sturdy', 'fast'],
        ],
      },
      {
        nouns: ['battery', 'screen', 'charger', 'keyboard'],
        adj: [
          ['faulty', 'weak', 'defective'],
          ['durable', 'solid', 'flawless'],
        ],
      },
    ],
    sentences: [
      [
        'The phone *broke* after two days.',
        'The battery life is *terrible*.',
        'A *waste* of money.',
        'The sound quality is *awful*.',
        'I am very *unhappy* with this purchase.',
        'It was *useless* from day one.',
      ],
      [
        'The phone works *perfectly*.',
        'The battery life is *excellent*.',
        '*Great* value for the money.',
        'The sound quality is *amazing*.',
        'I am very *happy* with this purchase.',
        'It was *worth* every penny.',
      ],
    ],
    mild: [
      [
        'The package arrived a week late.',
        'The battery is empty by lunchtime.',
        'The box was missing the charger.',
        'It stopped working after a month.',
        'The buttons are hard to press.',
      ],
      [
        'The package arrived a day early.',
        'The battery lasts the whole day.',
        'Setting it up took five minutes.',
        'It fits in my jacket pocket.',
        'It still works after a year.',
      ],
    ],
    fillers: ['The package arrived.', 'I bought it last month.', 'It came in a brown box.', 'I ordered the black one.'],
  },
  {
    name: 'airlines',
    groups: [
      {
        nouns: ['flight', 'trip', 'journey', 'airline'],
        adj: [
          ['late', 'cramped', 'chaotic'],
          ['smooth', 'punctual', 'comfortable'],
        ],
      },
      {
        nouns: ['crew', 'pilot', 'gate agent', 'flight attendant'],
        adj: [
          ['rude', 'unhelpful', 'dismissive'],
          ['friendly', 'helpful', 'polite'],
        ],
      },
    ],
    sentences: [
      [
        'The crew was *rude* and the flight was *late*.',
        'They *lost* my luggage again.',
        'The *worst* airline I have flown with.',
        'The seats were *cramped* and dirty.',
        'Check-in was *slow* and *chaotic*.',
        '*Terrible* service from the gate staff.',
      ],
      [
        'The crew was *friendly* and the flight was *smooth*.',
        '*Thanks* for getting me home on time.',
        'The *best* airline I have flown with.',
        'The seats were *comfortable* and clean.',
        'Check-in was *quick* and *easy*.',
        '*Great* service from the gate staff.',
      ],
    ],
    mild: [
      [
        'The flight sat on the runway for an hour.',
        'My bag ended up in another city.',
        'Boarding started forty minutes late.',
        'The seat would not recline.',
        'Nobody told us why we were delayed.',
      ],
      [
        'We landed twenty minutes early.',
        'The gate agent moved us to an exit row.',
        'My bag was the first one on the belt.',
        'Boarding took ten minutes.',
        'The crew handed out free snacks.',
      ],
    ],
    fillers: ['My flight was on a Monday morning.', 'I flew from Boston to Denver.', 'I was travelling for work.', 'It was a two hour flight.'],
  },
];

const GENERAL_ADJ = [
  ['bad', 'terrible', 'awful', 'horrible', 'poor', 'disappointing', 'dreadful', 'mediocre'],
  ['good', 'great', 'excellent', 'wonderful', 'amazing', 'fantastic', 'lovely', 'perfect'],
];
const VERBS_PAST = [
  ['hated', 'disliked', 'despised', 'loathed'],
  ['loved', 'enjoyed', 'liked', 'adored'],
];
const VERBS_BASE = [
  ['hate', 'dislike'],
  ['love', 'enjoy', 'like'],
];
const GENERAL_FILLERS = ['I am writing this on my phone.', 'This is my first review.', 'It was raining that day.', 'I read about it online.'];
const INTENSIFY_ADJ = ['very', 'really', 'absolutely', 'extremely', 'incredibly', 'truly', 'so'];
const INTENSIFY_VERB = ['really', 'absolutely', 'truly', 'genuinely'];
const EMOJI = [
  ['😞', '😡', '👎', '😠', '😢', '🙄', ':(', ':-('],
  ['😊', '🙂', '👍', '😍', '❤️', '🎉', ':)', ':-)'],
];
const PUNCT_ENDINGS = ['!!!', '!', '...', '!!', '?!'];
const PUNCT_APPENDED = [' :)', ' :-)', ' !!!', ' ...'];

// ---- deterministic randomness --------------------------------------------------------------------------------
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** A generator per family, seeded from the suite seed and the family's name, so families do not disturb each other. */
function rngFor(seed, family) {
  let h = seed >>> 0;
  for (const ch of family) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return mulberry32(h);
}
const pick = (rng, list) => list[Math.floor(rng() * list.length)];

// ---- sentence makers -----------------------------------------------------------------------------------------
const article = (noun) => `the ${noun}`;

/** An adjective for `group` of polarity `label`: the group's own half the time, a general one otherwise. */
const adjective = (rng, group, label) => pick(rng, rng() < 0.5 ? group.adj[label] : GENERAL_ADJ[label]);

/** A clear sentence of polarity `label` in `domain`: { text, label, keyword } (keyword: its sentiment word). */
function plainSentence(rng, domain, label) {
  const group = pick(rng, domain.groups);
  const noun = pick(rng, group.nouns);
  const r = rng();
  if (r < 0.5) {
    const adj = adjective(rng, group, label);
    return { text: `The ${noun} was ${adj}.`, label, keyword: adj };
  }
  if (r < 0.75) {
    const verb = pick(rng, VERBS_PAST[label]);
    return { text: `I ${verb} ${article(pick(rng, domain.groups[0].nouns))}.`, label, keyword: verb };
  }
  const marked = pick(rng, domain.sentences[label]);
  return { text: marked.replaceAll('*', ''), label, keyword: marked.match(/\*([^*]+)\*/)[1] };
}

/** Up to `n` cases from make(rng, index) (index counts the accepted cases), distinct by text; null makes are skipped. */
function collect(rng, n, make) {
  const seen = new Set();
  const out = [];
  for (let tries = 0; out.length < n && tries < n * 50; tries++) {
    const c = make(rng, out.length);
    if (c && !seen.has(c.text)) {
      seen.add(c.text);
      out.push(c);
    }
  }
  return out;
}
/** Domain and label of the i-th case: labels alternate, domains cycle every two cases. */
const slot = (i) => ({ label: i % 2, domain: DOMAINS[Math.floor(i / 2) % DOMAINS.length] });

// ---- families ------------------------------------------------------------------------------------------------
function plain(rng, n) {
  return collect(rng, n, (r, i) => {
    const { label, domain } = slot(i);
    return { family: 'plain', kind: 'MFT', text: plainSentence(r, domain, label).text, label };
  });
}

// Negation: a negated positive is negative; a negated negative ("not bad", "never disappointing") is positive.
const NEGATED = [
  [
    (r, n, g) => `The ${n} was not ${adjective(r, g, 1)}.`,
    (r, n, g) => `The ${n} was not ${adjective(r, g, 1)} at all.`,
    (r, n, g) => `The ${n} wasn't ${adjective(r, g, 1)}.`,
    (r, n, g) => `I don't think ${article(n)} was ${adjective(r, g, 1)}.`,
    (r, n, g, d) => `I did not ${pick(r, VERBS_BASE[1])} ${article(pick(r, d.groups[0].nouns))}.`,
    (r, n) => `I would never recommend this ${n}.`,
    (r, n, g) => `Nothing about ${article(n)} was ${adjective(r, g, 1)}.`,
  ],
  [
    (r, n, g) => `The ${n} was not ${pick(r, [...g.adj[0], 'bad', 'disappointing'])}.`,
    (r, n) => `The ${n} was not bad at all.`,
    (r, n, g) => `The ${n} was never ${pick(r, [...g.adj[0], 'disappointing'])}.`,
    (r, n) => `I was never disappointed by ${article(n)}.`,
    (r, n) => `I can't complain about ${article(n)}.`,
    (r, n, g) => `There was nothing ${pick(r, [...g.adj[0], 'bad', 'disappointing'])} about ${article(n)}.`,
  ],
];
function negation(rng, n) {
  return collect(rng, n, (r, i) => {
    const { label, domain } = slot(i);
    const group = pick(r, domain.groups);
    return { family: 'negation', kind: 'MFT', text: pick(r, NEGATED[label])(r, pick(r, group.nouns), group, domain), label };
  });
}

// Contrast: two clauses of opposite polarity; the one after "but" / "however" / the "although" clause decides.
const CONTRASTED = [
  (a, b) => `The ${a.noun} was ${a.adj}, but ${article(b.noun)} was ${b.adj}.`,
  (a, b) => `Although ${article(a.noun)} was ${a.adj}, ${article(b.noun)} was ${b.adj}.`,
  (a, b) => `The ${a.noun} was ${a.adj}; however, ${article(b.noun)} was ${b.adj}.`,
  (a, b) => `I expected ${article(b.noun)} to be ${a.adj}, but it was ${b.adj}.`,
  (a, b) => `I thought I would ${a.verb} ${article(b.thing)}, but I ${b.verbPast} it.`,
];
function contrast(rng, n) {
  return collect(rng, n, (r, i) => {
    const { label, domain } = slot(i);
    const side = (polarity) => {
      const group = pick(r, domain.groups);
      return {
        noun: pick(r, group.nouns),
        thing: pick(r, domain.groups[0].nouns),
        adj: adjective(r, group, polarity),
        verb: pick(r, VERBS_BASE[polarity]),
        verbPast: pick(r, VERBS_PAST[polarity]),
      };
    };
    const first = side(1 - label);
    const second = side(label);
    if (first.noun === second.noun) return null;
    return { family: 'contrast', kind: 'MFT', text: pick(r, CONTRASTED)(first, second), label };
  });
}

// Intensifiers: "very" / "really" / ... before the sentiment word keeps the template's label (MFT) and the label
// the model gives the plain sentence (INV).
function intensifiers(rng, n) {
  const pairs = collect(rng, n, (r, i) => {
    const { label, domain } = slot(i);
    const group = pick(r, domain.groups);
    const noun = pick(r, group.nouns);
    if (r() < 0.6) {
      const adj = adjective(r, group, label);
      return { text: `The ${noun} was ${pick(r, INTENSIFY_ADJ)} ${adj}.`, original: `The ${noun} was ${adj}.`, label };
    }
    const verb = pick(r, VERBS_PAST[label]);
    const thing = pick(r, domain.groups[0].nouns);
    return { text: `I ${pick(r, INTENSIFY_VERB)} ${verb} ${article(thing)}.`, original: `I ${verb} ${article(thing)}.`, label };
  });
  return [
    ...pairs.map(({ text, label }) => ({ family: 'intensifiers', kind: 'MFT', text, label })),
    ...pairs.map(({ text, original }) => ({ family: 'intensifiers', kind: 'INV', text, original })),
  ];
}

/** INV cases: `perturb(rng, base, domain)` -> perturbed text (or null) of a clear sentence. */
function invariance(family, rng, n, perturb) {
  return collect(rng, n, (r, i) => {
    const { label, domain } = slot(i);
    const base = plainSentence(r, domain, label);
    const text = perturb(r, base, domain);
    return text && text !== base.text ? { family, kind: 'INV', text, original: base.text } : null;
  });
}

const fillers = (rng, n) =>
  invariance('fillers', rng, n, (r, base, domain) => {
    const filler = pick(r, r() < 0.7 ? domain.fillers : GENERAL_FILLERS);
    return r() < 0.5 ? `${filler} ${base.text}` : `${base.text} ${filler}`;
  });

// Typos: one pair of neighbouring letters swapped, or one letter dropped, in the sentiment word or in another word.
function misspell(r, word) {
  const m = /^([^A-Za-z]*)([A-Za-z'-]+)([^A-Za-z]*)$/.exec(word);
  if (!m || m[2].length < 3) return null;
  const core = m[2];
  const j = Math.floor(r() * (core.length - 1));
  const swapped = core.slice(0, j) + core[j + 1] + core[j] + core.slice(j + 2);
  const typo = r() < 0.5 && swapped !== core ? swapped : core.slice(0, j) + core.slice(j + 1);
  return m[1] + typo + m[3];
}
const typos = (rng, n) =>
  invariance('typos', rng, n, (r, base) => {
    const words = base.text.split(' ');
    const key = words.findIndex((w) => w.replace(/[^A-Za-z'-]/g, '').toLowerCase() === base.keyword.toLowerCase());
    const others = words.map((_, k) => k).filter((k) => k !== key && words[k].replace(/[^A-Za-z]/g, '').length >= 3);
    const k = key >= 0 && (r() < 0.5 || others.length === 0) ? key : pick(r, others);
    if (k === undefined) return null;
    const typo = misspell(r, words[k]);
    return typo && words.with(k, typo).join(' ');
  });

// Upper case: the whole sentence, the sentiment word only, or every word's first letter.
const upperCase = (rng, n) =>
  invariance('upper-case', rng, n, (r, base) => {
    const v = r();
    if (v < 0.4) return base.text.toUpperCase();
    if (v < 0.7) return base.text.replace(base.keyword, base.keyword.toUpperCase());
    return base.text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
  });

// Emoji and punctuation. INV: a clear sentence ends in "!!!", "...", ... or gains ":)" -- its label must stay.
// MFT: a mildly positive (negative) statement of fact with a positive (negative) emoji is positive (negative).
function emojiPunctuation(rng, n) {
  const inv = invariance('emoji-punctuation', rng, n, (r, base) =>
    r() < 0.6 ? base.text.replace(/\.$/, pick(r, PUNCT_ENDINGS)) : base.text + pick(r, PUNCT_APPENDED),
  );
  const mft = collect(rng, n, (r, i) => {
    const { label, domain } = slot(i);
    const sentence = pick(r, domain.mild[label]);
    const emoji = pick(r, EMOJI[label]);
    const text = r() < 0.5 ? `${sentence} ${emoji}` : `${sentence.replace(/\.$/, '')} ${emoji}`;
    return { family: 'emoji-punctuation', kind: 'MFT', text, label };
  });
  return [...inv, ...mft];
}

const FAMILIES = { plain, negation, contrast, intensifiers, fillers, typos, 'upper-case': upperCase, 'emoji-punctuation': emojiPunctuation };

/**
 * The suite: [{ family, kind: 'MFT', text, label } | { family, kind: 'INV', text, original }], `perTest` cases
 * (fewer only where the templates run out) for each entry of BEHAVIOUR_TESTS. The same seed gives the same cases.
 */
export function buildBehaviourSuite({ seed = 20261207, perTest = 300 } = {}) {
  return Object.entries(FAMILIES).flatMap(([family, make]) => make(rngFor(seed, family), perTest));
}

/** Every text the suite needs a label for (cases and their originals), each once. */
export function suiteTexts(cases) {
  return [...new Set(cases.flatMap((c) => (c.kind === 'INV' ? [c.original, c.text] : [c.text])))];
}

/** Per BEHAVIOUR_TESTS entry: { family, kind, title, n, passed, rate }, given `labelOf(text)` -> the model's label. */
export function scoreBehaviour(cases, labelOf) {
  return BEHAVIOUR_TESTS.map((t) => {
    const mine = cases.filter((c) => c.family === t.family && c.kind === t.kind);
    const passed = mine.filter((c) => labelOf(c.text) === (c.kind === 'MFT' ? c.label : labelOf(c.original))).length;
    return { ...t, n: mine.length, passed, rate: mine.length ? passed / mine.length : NaN };
  });
}
