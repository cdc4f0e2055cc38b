"""Candidate spans and the regex detector engine: a pattern, a validator, context words.

Detectors yield ``Candidate`` spans (the scrubber turns them into Presidio results). A
``RegexDetector`` turns a text into ``Candidate`` spans. Context is looked for in a window of
lower-cased text before (and a little after) the match: ``context`` words add ``CONTEXT_BOOST``,
``anti_context`` words subtract ``ANTI_CONTEXT_PENALTY``; recognizers with ``needs_context`` only
fire when a context word is present. Candidates under ``MIN_SCORE`` are dropped by the scrubber,
so a pattern's base score says whether it fires on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

CONTEXT_BOOST = 0.35
ANTI_CONTEXT_PENALTY = 0.4
MIN_SCORE = 0.5
CONTEXT_BEFORE = 48
CONTEXT_AFTER = 16


# Where a clause ends: a line break, or a sentence or list separator followed by a space. A
# period after a short word is an abbreviation ("ref. 123", "no. 123"), not a sentence end.
_CLAUSE_END = re.compile(r"\n|[;!?](?:\s|$)|(?:\d|[^\W\d_]{4})\.(?:\s|$)")


def _same_clause(window: str) -> str:
    """The part of a context window in the value's own line and sentence. Anti-context says what
    a number is ("invoice 12345678"), and that is said next to it: "the invoice is 272.00 EUR."
    on one line says nothing about the phone number under the signature two lines below."""
    cut = 0
    for match in _CLAUSE_END.finditer(window):
        cut = match.end()
    return window[cut:]


@dataclass(frozen=True)
class Candidate:
    type: str
    start: int
    end: int
    score: float
    source: str


def words_re(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


@dataclass(frozen=True)
class RegexDetector:
    name: str
    entity_type: str
    pattern: re.Pattern[str]
    score: float
    validator: Callable[[str], bool] | None = None
    # Score when the validator fails: None rejects the match outright.
    invalid_score: float | None = None
    context: tuple[str, ...] = ()
    anti_context: tuple[str, ...] = ()
    needs_context: bool = False
    # Regex group holding the value (e.g. the password after "password=").
    group: int | str = 0
    # Cheap lower-cased substrings; the pattern only runs if one occurs in the text.
    prefilter: tuple[str, ...] = ()
    # Characters of text before the match to search for context words.
    context_before: int = CONTEXT_BEFORE
    # On rejection, retry the match cut back at each space (two numbers written side by side).
    shrink: bool = False

    @property
    def entity_types(self) -> frozenset[str]:
        return frozenset({self.entity_type})

    @property
    def contextual(self) -> bool:
        return bool(self.context or self.anti_context)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_context_re", words_re(self.context))
        object.__setattr__(self, "_anti_re", words_re(self.anti_context))

    def spec(self) -> str:
        """A stable description used in the scrubber's config digest."""
        return "|".join(
            [
                self.name,
                self.entity_type,
                self.pattern.pattern,
                str(self.pattern.flags),
                f"{self.score:.3f}",
                str(self.invalid_score),
                ",".join(self.context),
                ",".join(self.anti_context),
                str(self.needs_context),
                str(self.group),
            ]
        )

    def find(self, text: str, lowered: str) -> Iterator[Candidate]:
        if self.prefilter and not any(p in lowered for p in self.prefilter):
            return
        context_re: re.Pattern[str] | None = self.__dict__["_context_re"]
        anti_re: re.Pattern[str] | None = self.__dict__["_anti_re"]
        pos = 0
        while pos <= len(text):
            match = self.pattern.search(text, pos)
            if match is None:
                return
            candidate = self._judge(match, lowered, context_re, anti_re)
            if candidate is None and self.shrink:
                candidate = self._shrunk(match, lowered, context_re, anti_re)
            if candidate is None:
                # A rejected match may hide a valid one starting inside it ("1985 (415) 555-2671"
                # is no phone, "(415) 555-2671" is), so rescan from the next character.
                pos = match.start() + 1
                continue
            yield candidate
            pos = max(candidate.end, match.start() + 1)

    def _shrunk(
        self,
        match: re.Match[str],
        lowered: str,
        context_re: re.Pattern[str] | None,
        anti_re: re.Pattern[str] | None,
    ) -> Candidate | None:
        text = match.string
        for cut in range(match.end() - 1, match.start(), -1):
            if text[cut] != " ":
                continue
            shorter = self.pattern.match(text, match.start(), cut)
            if shorter is not None and shorter.end() == cut:
                candidate = self._judge(shorter, lowered, context_re, anti_re)
                if candidate is not None:
                    return candidate
        return None

    def _judge(
        self,
        match: re.Match[str],
        lowered: str,
        context_re: re.Pattern[str] | None,
        anti_re: re.Pattern[str] | None,
    ) -> Candidate | None:
        start, end = match.span(self.group)
        if start < 0 or end <= start:
            return None
        value = match.string[start:end]
        score = self.score
        if self.validator is not None and not self.validator(value):
            if self.invalid_score is None:
                return None
            score = self.invalid_score
        window = lowered[max(0, match.start() - self.context_before) : match.start()]
        after = lowered[match.end() : match.end() + CONTEXT_AFTER]
        has_context = context_re is not None and (
            context_re.search(window) is not None or context_re.search(after) is not None
        )
        if self.needs_context and not has_context:
            return None
        if has_context:
            score += CONTEXT_BOOST
        if anti_re is not None and anti_re.search(_same_clause(window)) is not None:
            score -= ANTI_CONTEXT_PENALTY
        if score < MIN_SCORE:
            return None
        return Candidate(self.entity_type, start, end, min(score, 1.0), self.name)
