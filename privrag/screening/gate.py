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
_PREFIX = 6  # stems are looked up by their first (up to) six characters
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


class Text:
    """A lower-cased text with its words and their 3-6 character prefixes, computed once and
    shared by every gate."""

    def __init__(self, lowered: str) -> None:
        self.lowered = lowered
        self.words = set(WORDS.findall(lowered))
        self.prefixes = {w[:n] for w in self.words for n in range(3, _PREFIX + 1)}


@dataclass(frozen=True)
class Gate:
    # Word-initial stems by their first characters (a set lookup against the text's word
    # prefixes), phrases by their first word (a lookup against its words), substrings for the
    # few prefixes with other characters; a lookup hit is confirmed by a substring test.
    stems: dict[str, tuple[str, ...]]
    phrases: dict[str, tuple[str, ...]]
    substrings: tuple[str, ...]
    words: frozenset[str]
    always: bool = False

    @classmethod
    def of(cls, alternation: str) -> Gate:
        subs: list[str] = []
        words: set[str] = set()
        for branch in _branches(alternation):
            found = _prefixes(branch)
            if found is None:
                return cls({}, {}, (), frozenset(), True)
            for prefix, whole in found:
                if len(prefix) >= 3:
                    subs.append(prefix)
                elif whole and prefix.isalnum():
                    words.add(prefix)
                else:
                    return cls({}, {}, (), frozenset(), True)
        stems: dict[str, list[str]] = {}
        phrases: dict[str, list[str]] = {}
        others = []
        for sub in dict.fromkeys(subs):
            first, space, _ = sub.partition(" ")
            if space and WORDS.fullmatch(first):
                phrases.setdefault(first, []).append(sub)
            elif WORDS.fullmatch(sub):
                stems.setdefault(sub[:_PREFIX], []).append(sub)
            else:
                others.append(sub)
        return cls(
            {k: tuple(v) for k, v in stems.items()},
            {k: tuple(v) for k, v in phrases.items()},
            tuple(others),
            frozenset(words),
        )

    def open(self, text: Text) -> bool:
        if self.always or not self.words.isdisjoint(text.words):
            return True
        lowered = text.lowered
        for key in self.stems.keys() & text.prefixes:
            if any(s in lowered for s in self.stems[key]):
                return True
        for key in self.phrases.keys() & text.words:
            if any(p in lowered for p in self.phrases[key]):
                return True
        return any(s in lowered for s in self.substrings)
