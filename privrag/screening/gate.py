"""Cheap necessary conditions for the feature patterns: a concept (a regex alternation) can only
match if one of its branches' literal prefixes occurs in the text (a substring test, done in C)
or, for prefixes under three characters, is one of the text's words. Scanning a 1-2 KB chunk
with a big alternation costs ~0.1 ms a pattern; the gates let most chunks skip most patterns.
A branch with no usable prefix makes its concept ungated (always tried): never a missed match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_META = set("\\()[]{}?*+.|^$")
_QUANT = set("?*{")
_EXPANSION = 64  # past this many ways to start, gate on the common prefix
_ESCAPED = {"\\.": ".", "\\-": "-", "\\'": "'", "\\ ": " ", "\\/": "/"}
WORDS = re.compile(r"\w+")


def _branches(alternation: str) -> list[str]:
    out, depth, start, i = [], 0, 0, 0
    while i < len(alternation):
        ch = alternation[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(alternation[start:i])
            start = i + 1
        i += 1
    out.append(alternation[start:])
    return out


def _group_end(branch: str) -> int:
    depth, i = 0, 0
    while i < len(branch):
        if branch[i] == "\\":
            i += 2
            continue
        depth += branch[i] == "("
        depth -= branch[i] == ")"
        if depth == 0:
            return i
        i += 1
    return len(branch)


def _prefixes(branch: str) -> list[tuple[str, bool]] | None:
    """(literal prefix, whole branch literal) for each way the branch can start, expanding
    required groups ("never (?:tell|let) the" starts "never tell the" or "never let the"); None
    if some way has no literal prefix."""
    literal: list[str] = []
    i = 0
    while i < len(branch):
        if branch.startswith("(?:", i):
            end = i + _group_end(branch[i:])
            if end + 1 < len(branch) and branch[end + 1] in _QUANT:
                break  # an optional group: the text may go on without it
            rest, head = branch[end + 1 :], "".join(literal)
            out: list[tuple[str, bool]] = []
            for alternative in _branches(branch[i + 3 : end]):
                found = _prefixes(alternative + rest)
                if found is None or len(out) > _EXPANSION:
                    return [(head, False)] if head else None
                out += [(head + p, whole) for p, whole in found]
            return out
        two = branch[i : i + 2]
        if two in _ESCAPED:
            literal.append(_ESCAPED[two])
            i += 2
        elif branch[i] in _META:
            break
        else:
            literal.append(branch[i])
            i += 1
        if i < len(branch) and branch[i] in _QUANT:
            literal.pop()
            break
    whole = i >= len(branch)
    return [("".join(literal), whole)] if literal else None


@dataclass(frozen=True)
class Gate:
    # Prefixes that start with a whole word, by that word: a set lookup in the text's words
    # rules most of them out before any substring test.
    phrases: dict[str, tuple[str, ...]]
    substrings: tuple[str, ...]  # the rest (stems such as "ignor"), tested as substrings
    words: frozenset[str]
    always: bool

    @classmethod
    def of(cls, alternation: str) -> Gate:
        subs: list[str] = []
        words: set[str] = set()
        for branch in _branches(alternation):
            found = _prefixes(branch)
            if found is None:
                return cls({}, (), frozenset(), True)
            for prefix, whole in found:
                if len(prefix) >= 3:
                    subs.append(prefix)
                elif whole and prefix.isalnum():
                    words.add(prefix)
                else:
                    return cls({}, (), frozenset(), True)
        phrases: dict[str, list[str]] = {}
        stems = []
        for sub in dict.fromkeys(subs):
            first, space, _ = sub.partition(" ")
            if space and WORDS.fullmatch(first):
                phrases.setdefault(first, []).append(sub)
            else:
                stems.append(sub)
        grouped = {k: tuple(v) for k, v in phrases.items()}
        return cls(grouped, tuple(stems), frozenset(words), False)

    def open(self, lowered: str, words: set[str]) -> bool:
        if self.always or not self.words.isdisjoint(words):
            return True
        if any(s in lowered for s in self.substrings):
            return True
        return any(
            p in lowered for first in self.phrases.keys() & words for p in self.phrases[first]
        )
