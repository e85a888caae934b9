"""A synthetic feature taxonomy and requirement texts of any size, for the matcher's speed benchmark.

Words are made of syllables, so that the stemmer and the fuzzy step see realistic, varied words;
a fixed seed makes every run build the same taxonomy.
"""

from __future__ import annotations

import random

from vendormatch.files.models import Feature

_SYLLABLES = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu la le li lo lu ma me mi mo mu "
    "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu"
).split()
_ENDINGS = ("", "", "s", "ing", "ed", "er", "tion", "ment", "ity", "al")
_BOILERPLATE = (
    "The system shall", "Users must be able to", "As a manager I want to", "We need to", "The solution should",
    "It must be possible to", "Staff want to",
)


def _words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) + rng.choice(_ENDINGS))
    return sorted(words)


def synthetic_features(count: int = 2000, aliases: int = 12, seed: int = 7) -> dict[str, Feature]:
    """`count` features, each with a name, `aliases` aliases of one to four words and a description."""
    rng = random.Random(seed)
    vocabulary = _words(rng, count * 3)
    # Zipf-like reuse: some words recur across many features, as "record" or "customer" do.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(vocabulary))]

    def phrase(low: int, high: int) -> str:
        return " ".join(rng.choices(vocabulary, weights, k=rng.randint(low, high)))

    features: dict[str, Feature] = {}
    for number in range(count):
        names = dict.fromkeys(phrase(1, 4) for _ in range(aliases))
        features[f"feature-{number:05d}"] = Feature(
            name=f"{phrase(2, 3)} {number}",
            aliases=tuple(names),
            description=f"Lets teams {phrase(8, 14)}.",
        )
    return features


def synthetic_requirements(features: dict[str, Feature], count: int = 2000, seed: int = 11) -> list[str]:
    """`count` requirement sentences, most quoting parts of one or two features' aliases amid filler."""
    rng = random.Random(seed)
    pool = list(features.values())
    filler = _words(rng, 500)
    texts: list[str] = []
    for _ in range(count):
        parts = [rng.choice(_BOILERPLATE)]
        for feature in rng.sample(pool, rng.randint(0, 2)):
            parts.append(rng.choice(feature.aliases or (feature.name,)))
            parts.extend(rng.sample(filler, 3))
        parts.extend(rng.sample(filler, rng.randint(3, 8)))
        texts.append(" ".join(parts) + ".")
    return texts
