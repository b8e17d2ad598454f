"""The text of the benchmark forum: a generated vocabulary and a pool of rendered bodies.

Words are made from syllables (no real names, so the privacy guard has nothing to flag) and
drawn with a Zipf distribution, as words are in real writing. Bodies are Markdown rendered
once by `forum.markdown.render`; the loader reuses them, so loading costs no rendering.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections import Counter
from dataclasses import dataclass

from forum import markdown, privacy

VOCABULARY_SIZE = 24_000  # before the words that read as names are dropped
ZIPF_EXPONENT = 1.07
ONSETS = ("b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pl",
          "qu", "r", "s", "sh", "sk", "st", "t", "th", "tr", "v", "w", "z")
VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou")
CODAS = ("", "", "n", "r", "s", "t", "l", "m", "nd", "st", "x")
#: Body lengths in characters of Markdown (the issue: 300 to 3,000).
SHORTEST, LONGEST = 300, 3000


@dataclass(frozen=True)
class Body:
    markdown: str
    html: str


@dataclass
class Corpus:
    words: list[str]  # most common first
    bodies: list[Body]  # 300 to 3,000 characters
    lines: list[Body]  # one or two sentences: the "what I would like help with" of a case
    titles: list[str]
    #: A phrase of two rare words that stand side by side in exactly one body of the pool.
    rare_phrase: str

    @property
    def common_word(self) -> str:
        return self.words[0]


def vocabulary(rng: random.Random, size: int = VOCABULARY_SIZE) -> list[str]:
    """Up to `size` distinct pronounceable words (fewer once names are dropped), shuffled so
    that rank does not follow length."""
    syllables = [onset + vowel + coda for onset, vowel, coda in itertools.product(ONSETS, VOWELS, CODAS)]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
    ordered = sorted(words)
    flagged = read_as_names(ordered)
    ordered = [word for word in ordered if word not in flagged]
    rng.shuffle(ordered)
    return ordered


def read_as_names(words: list[str], chunk: int = 400) -> set[str]:
    """Words the privacy guard reads as names: bodies holding them would be held back as drafts.
    Scanned a few hundred at a time, each in a sentence of its own, for speed."""
    flagged: set[str] = set()
    for start in range(0, len(words), chunk):
        group = words[start:start + chunk]
        sentences = [f"The plan was {word} and more. {word.capitalize()} is on the list." for word in group]
        offsets = list(itertools.accumulate(len(text) + 1 for text in sentences))
        for finding in privacy.scan(" ".join(sentences)):
            flagged.add(group[bisect.bisect_right(offsets, finding.start)])
    return flagged


class ZipfWords:
    def __init__(self, words: list[str], rng: random.Random):
        self.words, self.rng = words, rng
        weights = [1 / rank ** ZIPF_EXPONENT for rank in range(1, len(words) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def take(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)


def sentence(zipf: ZipfWords, rng: random.Random) -> str:
    words = zipf.take(rng.randint(6, 18))
    if rng.random() < 0.15:  # some emphasis, so Markdown has something to do
        at = rng.randrange(len(words))
        words[at] = f"**{words[at]}**" if rng.random() < 0.5 else f"*{words[at]}*"
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice(".....?!")


def paragraph(zipf: ZipfWords, rng: random.Random) -> str:
    if rng.random() < 0.12:
        return "\n".join("- " + sentence(zipf, rng) for _ in range(rng.randint(2, 5)))
    return " ".join(sentence(zipf, rng) for _ in range(rng.randint(2, 6)))


def markdown_body(zipf: ZipfWords, rng: random.Random) -> str:
    # Log-uniform lengths: many short bodies, fewer long ones, as in real discussions.
    target = int(SHORTEST * (LONGEST / SHORTEST) ** rng.random())
    parts: list[str] = []
    while sum(len(part) + 2 for part in parts) < target:
        parts.append(paragraph(zipf, rng))
    text = "\n\n".join(parts)
    if len(text) > LONGEST:
        text = text[:LONGEST].rsplit(" ", 1)[0] + "."
    return text


def is_clean(text: str) -> bool:
    """No finding of the privacy guard: the services would hold such text back as a draft."""
    return not privacy.scan(text)


def rendered(texts) -> list[Body]:
    return [Body(text, markdown.render(text)) for text in texts if is_clean(text)]


def rare_phrase(words: list[str], bodies: list[Body]) -> str:
    """Two words from the rarest half of the vocabulary, side by side in one body only."""
    rare = set(words[len(words) // 2:])
    pairs: Counter = Counter()
    for body in bodies:
        tokens = body.markdown.replace("*", "").split()
        pairs.update({(a, b) for a, b in zip(tokens, tokens[1:]) if a in rare and b in rare})
    return next(f"{a} {b}" for (a, b), seen in sorted(pairs.items()) if seen == 1)


def build(seed: int, bodies: int = 3000, lines: int = 1000, titles: int = 2000,
          vocabulary_size: int = VOCABULARY_SIZE) -> Corpus:
    rng = random.Random(seed)
    words = vocabulary(rng, vocabulary_size)
    zipf = ZipfWords(words, rng)
    pool = rendered(markdown_body(zipf, rng) for _ in range(bodies))
    short = rendered(sentence(zipf, rng) + " " + sentence(zipf, rng) for _ in range(lines))
    names = [" ".join(zipf.take(rng.randint(4, 9))).capitalize()[:150] for _ in range(titles)]
    names = [name for name in names if is_clean(name)]
    return Corpus(words, pool, short, names, rare_phrase(words, pool))
