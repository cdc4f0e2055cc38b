"""The Scrubber: detects PII with spaCy NER plus our recognizers and replaces it per policy.

Invariants: entity offsets point into the original text; overlapping detections are merged so the
union of everything detected is replaced (a partial overlap never leaves a fragment behind);
existing replacement tokens (``<PERSON>``, ``<EMAIL_ADDRESS_1a2b3c4d>``) are never detected again,
so scrubbing is idempotent, and the output is re-scanned by the pattern recognizers (whose
context windows a replacement can shift) until they find nothing new; nothing here touches the
network. spaCy runs batched through ``nlp.pipe`` with only its NER pipe, and only over texts
that may contain a name.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Sequence
from typing import Any

from privrag.errors import InvalidInput, PrivragError
from privrag.pii.addresses import find_addresses
from privrag.pii.credentials import build_secret_recognizers
from privrag.pii.names import find_gazetteer_names, ner_segments
from privrag.pii.normalize import subject_tag
from privrag.pii.offline import load_common_words, load_ner_pipeline, model_version
from privrag.pii.operators import TOKEN_RE, replacement
from privrag.pii.patterns import MIN_SCORE, Candidate, PatternRecognizer
from privrag.pii.people import NER_TYPES, find_name_cues, ner_candidates
from privrag.pii.policy import PiiPolicy
from privrag.pii.recognizers import build_recognizers
from privrag.pii.types import Entity, KeyedHash, ScrubResult, SubjectTag

SCRUB_FORMAT = "privrag-scrub/1"
NER_BATCH_SIZE = 64
# spaCy's own guard is 1,000,000 characters; documents are chunked long before that.
MAX_TEXT_CHARS = 1_000_000
# A span may absorb at most this many surrounding characters of trim (quotes, brackets).
_TRIM = " \t\r\n.,;:!?\"'()[]{}"
# Types whose detections should win an overlap even against a longer, weaker span.
# Re-scans of the output before giving up; one is almost always enough.
_SETTLE_ROUNDS = 3
_PRIORITY = {"SECRET": 3, "EMAIL_ADDRESS": 2, "IBAN_CODE": 2, "CREDIT_CARD": 1, "US_SSN": 1}


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class Scrubber:
    """Loads the NER model and recognizers once; ``scrub`` and ``scrub_batch`` are thread-safe
    as far as spaCy inference is."""

    def __init__(self, policy: PiiPolicy | None = None) -> None:
        self._policy = policy or PiiPolicy()
        self._nlp = load_ner_pipeline()
        self._common_words = load_common_words()
        self._recognizers: tuple[PatternRecognizer, ...] = (
            *build_secret_recognizers(),
            *build_recognizers(),
        )
        model = model_version(self._nlp)
        self.version = (
            f"{SCRUB_FORMAT} presidio-analyzer={_package_version('presidio-analyzer')} "
            f"spacy-model={model}"
        )
        spec = "\n".join(
            [self.version, model, self._policy.digest(), *(r.spec() for r in self._recognizers)]
        )
        self.config_digest = hashlib.sha256(spec.encode()).hexdigest()

    @property
    def policy(self) -> PiiPolicy:
        return self._policy

    def scrub(
        self,
        text: str,
        *,
        keyed_hash: KeyedHash | None = None,
        policy: PiiPolicy | None = None,
    ) -> ScrubResult:
        return self.scrub_batch([text], keyed_hash=keyed_hash, policy=policy)[0]

    def scrub_batch(
        self,
        texts: Sequence[str],
        *,
        keyed_hash: KeyedHash | None = None,
        policy: PiiPolicy | None = None,
    ) -> list[ScrubResult]:
        active = policy or self._policy
        if isinstance(texts, str):
            raise InvalidInput("scrub_batch takes a sequence of texts, not one string")
        for text in texts:
            if not isinstance(text, str):
                raise InvalidInput(f"can only scrub text, got {type(text).__name__}")
            if len(text) > MAX_TEXT_CHARS:
                raise InvalidInput(f"text of {len(text)} characters exceeds {MAX_TEXT_CHARS}")
        if active.operator != "placeholder" and keyed_hash is None:
            raise InvalidInput(
                f"the {active.operator!r} PII operator needs the tenant's keyed hash"
            )
        entities = self._detect_batch(texts, active.entities)
        return [
            self._settle(text, found, active, keyed_hash)
            for text, found in zip(texts, entities, strict=True)
        ]

    def _settle(
        self,
        text: str,
        found: tuple[Entity, ...],
        policy: PiiPolicy,
        keyed_hash: KeyedHash | None,
    ) -> ScrubResult:
        """Replace, then make sure a second pass of the pattern recognizers finds nothing new.

        Context windows are measured in characters, and a token is longer or shorter than the
        value it replaced, so a context or anti-context word can move into or out of reach in
        the output; anything the recognizers would find there is mapped back and replaced too.
        """
        result, segments = _apply(text, found, policy, keyed_hash)
        # Nothing replaced, nothing moved: the output is the input, already scanned.
        for _ in range(_SETTLE_ROUNDS if found else 0):
            extra = [
                mapped
                for c in self._pattern_candidates(result.text, policy.entities)
                if (mapped := _unmask(c, segments)) is not None
            ]
            if not extra:
                break
            candidates = [
                Candidate(e.type, e.start, e.end, e.score, "settled") for e in found
            ] + extra
            found = _resolve(candidates)
            result, segments = _apply(text, found, policy, keyed_hash)
        return result

    def analyze(self, text: str, *, policy: PiiPolicy | None = None) -> tuple[Entity, ...]:
        """Detected entities only, without replacing anything (for evaluation and debugging)."""
        active = policy or self._policy
        return self._detect_batch([text], active.entities)[0]

    def _detect_batch(
        self, texts: Sequence[str], wanted: frozenset[str]
    ) -> list[tuple[Entity, ...]]:
        # Pass 1: regex recognizers, per text.
        found = [self._pattern_candidates(text, wanted) for text in texts]
        if not wanted & NER_TYPES:
            return [_resolve(c) for c in found]
        # Pass 2: NER over each text with pass-1 detections and existing tokens replaced by plain
        # placeholders, so the model sees what a second scrub would see (idempotence), batched.
        masks = [_mask(text, _resolve(c)) for text, c in zip(texts, found, strict=True)]
        # A text without a capital letter gives the model nothing to tag as a name or place.
        # When people are the only NER type wanted, only sentences that may name someone go to
        # the model (its window is a few tokens, so a sentence tags as it would in context).
        people_only = not (wanted & NER_TYPES) - {"PERSON"}
        todo: list[tuple[int, int, str]] = []
        for i, (masked, _) in enumerate(masks):
            if not any(ch.isupper() for ch in masked):
                continue
            if people_only:
                todo.extend(
                    (i, start, masked[start:end])
                    for start, end in ner_segments(masked, self._common_words)
                )
            else:
                todo.append((i, 0, masked))
        try:
            docs = self._nlp.pipe((piece for _, _, piece in todo), batch_size=NER_BATCH_SIZE)
            for (i, offset, _), doc in zip(todo, docs, strict=True):
                segments = masks[i][1]
                for c in ner_candidates(doc, wanted, self._common_words):
                    shifted = Candidate(c.type, c.start + offset, c.end + offset, c.score, c.source)
                    mapped = _unmask(shifted, segments)
                    if mapped is not None:
                        trimmed = _trim(texts[i], mapped)
                        if trimmed is not None:
                            found[i].append(trimmed)
        except (ValueError, RuntimeError, MemoryError) as exc:
            raise PrivragError(f"NER failed while scrubbing: {exc}") from exc
        return [_resolve(c) for c in found]

    def _pattern_candidates(self, text: str, wanted: frozenset[str]) -> list[Candidate]:
        # Context words must not be read out of existing tokens ("<PHONE_NUMBER>" says "phone").
        lowered = (
            TOKEN_RE.sub(lambda m: " " * len(m.group()), text).lower()
            if "<" in text
            else text.lower()
        )
        candidates: list[Candidate] = []
        for recognizer in self._recognizers:
            if recognizer.entity_type in wanted:
                candidates.extend(recognizer.find(text, lowered))
        if "STREET_ADDRESS" in wanted:
            candidates.extend(find_addresses(text))
        if "PERSON" in wanted:
            candidates.extend(find_name_cues(text))
            candidates.extend(find_gazetteer_names(text, self._common_words))
        tokens = [m.span() for m in TOKEN_RE.finditer(text)] if "<" in text else []
        return [
            c
            for c in (_trim(text, c) for c in candidates)
            if c is not None
            and c.score >= MIN_SCORE
            and not any(c.start < t_end and t_start < c.end for t_start, t_end in tokens)
        ]


def _mask(text: str, entities: tuple[Entity, ...]) -> tuple[str, list[tuple[int, int, int]]]:
    """Text with detections and existing tokens as ``<TYPE>``, and the unchanged segments as
    (masked start, original start, length) for mapping NER offsets back."""
    spans = [(e.start, e.end, e.type) for e in entities]
    if "<" in text:
        for m in TOKEN_RE.finditer(text):
            if not any(m.start() < e and s < m.end() for s, e, _ in spans):
                spans.append((m.start(), m.end(), m.group()[1:-1].rsplit("_", 1)[0]))
    spans.sort()
    pieces: list[str] = []
    segments: list[tuple[int, int, int]] = []
    cursor = masked_len = 0
    for start, end, entity_type in spans:
        if start > cursor:
            segments.append((masked_len, cursor, start - cursor))
            pieces.append(text[cursor:start])
            masked_len += start - cursor
        token = f"<{entity_type}>"
        pieces.append(token)
        masked_len += len(token)
        cursor = max(cursor, end)
    if cursor < len(text):
        segments.append((masked_len, cursor, len(text) - cursor))
        pieces.append(text[cursor:])
    return "".join(pieces), segments


def _unmask(c: Candidate, segments: list[tuple[int, int, int]]) -> Candidate | None:
    for masked_start, original_start, length in segments:
        if masked_start <= c.start and c.end <= masked_start + length:
            shift = original_start - masked_start
            return Candidate(c.type, c.start + shift, c.end + shift, c.score, c.source)
    return None


def _trim(text: str, c: Candidate) -> Candidate | None:
    start, end = c.start, c.end
    while start < end and text[start] in _TRIM:
        # Keep the opening bracket of "(415) 555-2671".
        if text[start] == "(" and ")" in text[start:end]:
            break
        start += 1
    # A trailing period belongs to abbreviations ("Apt.", "St.") but not to sentence ends;
    # keeping it is harmless, so only strip whitespace and other punctuation at the end.
    while end > start and text[end - 1] in _TRIM and text[end - 1] != ".":
        end -= 1
    if end > start and text[end - 1] == "." and c.type not in {"STREET_ADDRESS", "PERSON"}:
        end -= 1
    if end <= start:
        return None
    if (start, end) == (c.start, c.end):
        return c
    return Candidate(c.type, start, end, c.score, c.source)


def _resolve(candidates: list[Candidate]) -> tuple[Entity, ...]:
    """Greedy by priority, score and length; a loser that sticks out widens the winner."""
    ordered = sorted(
        candidates,
        key=lambda c: (_PRIORITY.get(c.type, 0), c.score, c.end - c.start),
        reverse=True,
    )
    chosen: list[list[Any]] = []
    for c in ordered:
        overlapping = [w for w in chosen if c.start < w[2] and w[1] < c.end]
        if not overlapping:
            chosen.append([c.type, c.start, c.end, c.score])
            continue
        winner = overlapping[0]
        winner[1] = min(winner[1], c.start)
        winner[2] = max(winner[2], c.end)
        # Widening may now touch other chosen spans; fold them in.
        for other in overlapping[1:]:
            winner[1] = min(winner[1], other[1])
            winner[2] = max(winner[2], other[2])
            chosen.remove(other)
    return tuple(
        Entity(type=t, start=s, end=e, score=round(score, 3))
        for t, s, e, score in sorted(chosen, key=lambda w: w[1])
    )


def _apply(
    text: str,
    entities: tuple[Entity, ...],
    policy: PiiPolicy,
    keyed_hash: KeyedHash | None,
) -> tuple[ScrubResult, list[tuple[int, int, int]]]:
    """The scrubbed result, and its unchanged segments as (output start, original start,
    length) for mapping output offsets back."""
    pieces: list[str] = []
    originals: dict[str, str] = {}
    tags: dict[SubjectTag, None] = {}
    segments: list[tuple[int, int, int]] = []
    cursor = out = 0
    for entity in entities:
        value = text[entity.start : entity.end]
        token = replacement(policy.operator, entity.type, value, keyed_hash)
        if entity.start > cursor:
            segments.append((out, cursor, entity.start - cursor))
        pieces.append(text[cursor : entity.start])
        pieces.append(token)
        out += entity.start - cursor + len(token)
        cursor = entity.end
        if policy.operator == "reversible":
            originals.setdefault(token, value)
        if keyed_hash is not None:
            tags[SubjectTag(entity.type, subject_tag(keyed_hash, entity.type, value))] = None
    if cursor < len(text):
        segments.append((out, cursor, len(text) - cursor))
    pieces.append(text[cursor:])
    result = ScrubResult(
        text="".join(pieces),
        entities=entities,
        subject_tags=tuple(tags),
        originals=tuple(originals.items()),
    )
    return result, segments
