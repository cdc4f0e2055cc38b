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
    """(literal prefix, whole branch literal) for each way the branch can start; None if some
    way has no literal prefix."""
    if branch.startswith("(?:"):
        end = _group_end(branch)
        if end + 1 < len(branch) and branch[end + 1] in _QUANT:
            return None  # an optional leading group: the text may start after it
        rest = branch[end + 1 :]
        after = _prefixes(rest) if rest else [("", True)]
        out: list[tuple[str, bool]] = []
        for inner in _branches(branch[3:end]):
            found = _prefixes(inner)
            if found is None:
                return None
            for prefix, whole in found:
                if whole and after is not None:  # "(?:are|is) now" starts "are now" or "is now"
                    out += [(prefix + tail, done) for tail, done in after]
                else:
                    out.append((prefix, False))
        return out
    literal, i = [], 0
    while i < len(branch):
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
    substrings: tuple[str, ...]
    words: frozenset[str]
    always: bool

    @classmethod
    def of(cls, alternation: str) -> Gate:
        subs: list[str] = []
        words: set[str] = set()
        for branch in _branches(alternation):
            found = _prefixes(branch)
            if found is None:
                return cls((), frozenset(), True)
            for prefix, whole in found:
                if len(prefix) >= 3:
                    subs.append(prefix)
                elif whole and prefix.isalnum():
                    words.add(prefix)
                else:
                    return cls((), frozenset(), True)
        return cls(tuple(dict.fromkeys(subs)), frozenset(words), False)

    def open(self, lowered: str, words: set[str]) -> bool:
        return (
            self.always
            or not self.words.isdisjoint(words)
            or any(s in lowered for s in self.substrings)
        )
