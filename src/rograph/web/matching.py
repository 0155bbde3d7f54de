"""Matching names the way people write them: in Latvian, English or Estonian, with or without
diacritics, in any grammatical case.

The search page and the reconciliation service share this. Names are *folded* (diacritics
dropped, case ignored, punctuation a space) and split into words, and each word is reduced to a
*stem* by taking off the case endings of Latvian and Estonian nouns, so that ``Valgā``
(Latvian locative), ``Valgas`` (Latvian genitive, Estonian inessive) and ``Valgast`` (Estonian
elative) all meet ``Valga``. The stemmer is deliberately light: it only removes endings after
at least three letters, and the Estonian endings only after a vowel, as they attach to vowel
stems (``valga-st``), so ``vald`` stays ``vald``.

A name scores 1.0 against a query when they fold to the same text, 0.95 when their stems are
the same, and otherwise the weighted overlap of their stems, a rare word (by inverse document
frequency over all names) weighing more than a common one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

#: Letters that do not decompose into a base letter and a diacritic.
_SPECIAL = str.maketrans({"ø": "o", "ß": "ss", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"})
_WORD = re.compile(r"[^\W_]+")
VOWELS = set("aeiou")
#: Latvian noun endings (folded: ā → a, š → s), after at least three letters.
_LATVIAN = ("iem", "am", "em", "im", "um", "os", "as", "es", "is", "us", "ai", "ei", "s")
#: Estonian case endings, which follow a vowel stem.
_ESTONIAN = ("sse", "st", "lt", "le", "ga", "ta", "na", "ni", "ks", "de", "te", "id", "l", "t", "d")
_ENDINGS = sorted({*_LATVIAN, *_ESTONIAN}, key=len, reverse=True)
MIN_STEM = 3


def fold(text: str) -> str:
    """Lower case, no diacritics, words separated by single spaces: ``Rīgā!`` → ``riga``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(bare))


def stem(word: str) -> str:
    """A folded word without its case ending: ``valgast`` → ``valg``, ``jelgavas`` → ``jelgav``."""
    if len(word) <= MIN_STEM or word.isdigit():
        return word
    for ending in _ENDINGS:
        rest = word[: -len(ending)]
        if word.endswith(ending) and len(rest) >= MIN_STEM and (ending in _LATVIAN or rest[-1] in VOWELS):
            word = rest
            break
    if len(word) > MIN_STEM and word[-1] in VOWELS:
        word = word[:-1]
    return word


def stems(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in fold(text).split())


@dataclass(frozen=True)
class Name:
    """One name of an entity: a label, an alternative label or a description."""

    text: str
    lang: str
    kind: str  # "label", "alternative label" or "description"
    folded: str = field(compare=False, default="")
    stems: tuple[str, ...] = field(compare=False, default=())

    @classmethod
    def of(cls, text: str, lang: str, kind: str) -> Name:
        return cls(text, lang, kind, fold(text), stems(text))


#: How much a match on each kind of name counts.
KIND_WEIGHT = {"label": 1.0, "alternative label": 0.98, "description": 0.6}


class Weights:
    """Inverse document frequency of stems over all names: rare words weigh more."""

    def __init__(self, names: Iterable[Name]):
        self.documents = 0
        self.frequency: Counter[str] = Counter()
        for name in names:
            self.documents += 1
            self.frequency.update(set(name.stems))

    def __call__(self, word: str) -> float:
        return math.log(1 + (self.documents + 1) / (self.frequency.get(word, 0) + 1))


def _word_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return 0.9  # latvia, latvian; valsts, valstij
    if min(len(a), len(b)) >= 5:
        ratio = SequenceMatcher(None, a, b).ratio()
        if ratio >= 0.85:
            return ratio
    return 0.0


def score(
    query_folded: str, query_stems: tuple[str, ...], name: Name, weights: Weights, *, containment: bool = False
) -> float:
    """How well ``name`` matches the query, from 0 to 1. Reconciliation compares whole names
    (the overlap of both); search (``containment``) mostly asks whether the name contains
    the query's words."""
    if not query_stems or not name.stems:
        return 0.0
    if query_folded == name.folded:
        return KIND_WEIGHT[name.kind]
    if query_stems == name.stems:
        return 0.95 * KIND_WEIGHT[name.kind]
    query_words, name_words = set(query_stems), set(name.stems)
    matched = 0.0
    for word in query_words:
        best = max(_word_similarity(word, other) for other in name_words)
        matched += best * weights(word)
    query_weight = sum(weights(w) for w in query_words)
    union = query_weight + sum(weights(w) for w in name_words - query_words)
    overlap = matched / union if union else 0.0
    if containment:
        overlap = 0.75 * (matched / query_weight if query_weight else 0.0) + 0.25 * overlap
    # An inexact match never reaches the scores of the exact ones.
    return 0.9 * KIND_WEIGHT[name.kind] * overlap


def prefix_match(prefix_folded: str, name: Name) -> bool:
    """For auto-completion: the name starts with the prefix, or each word of the prefix starts a
    word of the name (the last one possibly unfinished), in any inflection."""
    if not prefix_folded:
        return False
    if name.folded.startswith(prefix_folded):
        return True
    words = prefix_folded.split()
    name_words = name.folded.split()
    return all(any(w.startswith(p) or (stem(p) == stem(w)) for w in name_words) for p in words)
