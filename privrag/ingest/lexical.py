"""The private lexical index: scrubbed text -> terms -> keyed term ids with BM25 weights.

Tokenizer (the whole of it): Unicode NFKC and case folding; PII placeholders and pseudonyms
(``<TYPE>``, ``<TYPE_1a2b3c4d>``) are removed first, so a replacement is never a term; a term is
a maximal run of letters and digits (``_`` and punctuation split); terms shorter than 2 or
longer than 40 characters and the English stop words below are dropped; each term is then
reduced by a light English suffix stripper (plural ``-ies/-es/-s``, ``-ing``, ``-ed``, ``-ly``;
never below 3 characters). The same function serves documents and queries.

A term reaches the store only as a 32-bit keyed id (``TermHasher``: HMAC-SHA256 under the
tenant's vector key) with a BM25 term-frequency weight; the store applies IDF at query time
(Qdrant's IDF modifier), so document frequencies stay current without re-indexing. Pure: no
I/O, no key material beyond the hasher it is handed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from privrag.store import SparseVector

_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*(?:_[0-9a-f]+)?>")
_TERM = re.compile(r"[^\W_]+")

_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either few for
    from further had has have having he her here hers herself him himself his how however i if
    in into is it its itself just may me might more most must my myself no nor not now of off
    on once only or other ought our ours ourselves out over own same shall she should so some
    such than that the their theirs them themselves then there these they this those through
    thus to too under until up upon us very was we were what when where which while who whom
    why will with within without would yet you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def _stem(term: str) -> str:
    if term.isdigit():
        return term
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("ly", "")):
        if term.endswith(suffix) and len(term) - len(suffix) + len(repl) >= 3:
            return term[: len(term) - len(suffix)] + repl
    if term.endswith("es") and term[-3:-2] in ("s", "x", "z") and len(term) > 4:
        return term[:-2]
    if term.endswith("s") and not term.endswith(("ss", "us", "is")) and len(term) > 3:
        return term[:-1]
    return term


def terms(text: str) -> list[str]:
    """The index terms of ``text``, in order, repeats kept (see the module docstring)."""
    text = _PLACEHOLDER.sub(" ", unicodedata.normalize("NFKC", text)).casefold()
    out = []
    for term in _TERM.findall(text):
        if 2 <= len(term) <= 40 and term not in STOP_WORDS:
            out.append(_stem(term))
    return out


@dataclass(frozen=True)
class Bm25:
    """BM25 term-frequency saturation (``k1``) and length normalisation (``b``) against a fixed
    average chunk length in terms, so a weight never depends on the rest of the corpus."""

    k1: float = 1.2
    b: float = 0.75
    avg_len: float = 100.0

    def document(self, text: str, term_id: Callable[[str], int]) -> SparseVector:
        counts = Counter(terms(text))
        length = sum(counts.values())
        norm = self.k1 * (1 - self.b + self.b * length / self.avg_len)
        weights: dict[int, float] = {}
        for term, tf in counts.items():
            index = term_id(term)
            weights[index] = weights.get(index, 0.0) + tf * (self.k1 + 1) / (tf + norm)
        return _sparse(weights)

    @staticmethod
    def query(text: str, term_id: Callable[[str], int]) -> SparseVector:
        return _sparse({term_id(term): 1.0 for term in set(terms(text))})


def _sparse(weights: dict[int, float]) -> SparseVector:
    ordered = sorted(weights.items())
    return SparseVector(tuple(i for i, _ in ordered), tuple(w for _, w in ordered))
