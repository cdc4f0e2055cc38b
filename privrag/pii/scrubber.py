"""The Scrubber: Presidio-based detection with our recognizers, replacement by Presidio operators.

Detection: every detector runs as a Presidio recognizer from one ``RecognizerRegistry`` (plus the
tenant's own Presidio recognizers), then spaCy NER, batched through ``nlp.pipe`` over only the
sentences that may name someone. Both run on the text with obfuscation undone (``textmap``) and
their ``RecognizerResult``s are mapped back to the original. Replacement: presidio-anonymizer's
``AnonymizerEngine`` with one ``OperatorConfig`` per entity type.

Invariants: entity offsets point into the original text; overlapping detections are merged so the
union of everything detected is replaced (a partial overlap never leaves a fragment behind); a
value its label calls PII is replaced even when a validator calls it invalid (fail closed), and
the label decides its type; existing replacement tokens are never detected again, so scrubbing
is idempotent, and the output is re-scanned (context windows shift when a value is replaced)
until nothing new is found; nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from presidio_analyzer import RecognizerRegistry

from privrag.errors import InvalidInput, PrivragError
from privrag.pii.analysis import RecognizerResult, build_registry, run_registry, source_of
from privrag.pii.detectors import MIN_SCORE, Candidate
from privrag.pii.name_columns import column_mates
from privrag.pii.name_gazetteer import extend_person, list_mates, repeated_names
from privrag.pii.ner import NER_TYPES, ner_candidates, ner_segments
from privrag.pii.normalize import subject_tag
from privrag.pii.offline import NAME_MODEL, load_common_words, load_ner_pipeline, model_version
from privrag.pii.opaque_ids import drop_inside_opaque_ids
from privrag.pii.operators import TOKEN_RE, anonymize, anonymizer, operator_configs
from privrag.pii.policy import PiiPolicy
from privrag.pii.stack import build_detectors
from privrag.pii.textmap import unmask
from privrag.pii.types import Entity, KeyedHash, ScrubResult, SubjectTag

SCRUB_FORMAT = "privrag-scrub/2"
NER_BATCH_SIZE = 64
# spaCy's own guard is 1,000,000 characters; documents are chunked long before that.
MAX_TEXT_CHARS = 1_000_000
# A span may absorb at most this many surrounding characters of trim (quotes, brackets).
_TRIM = " \t\r\n.,;:!?\"'()[]{}"
# Re-scans of the output before giving up; one is almost always enough.
_SETTLE_ROUNDS = 3
# Types whose detections should win an overlap even against a longer, weaker span.
_PRIORITY = {"SECRET": 3, "EMAIL_ADDRESS": 2, "IBAN_CODE": 2, "CREDIT_CARD": 1, "US_SSN": 1}
# A label ("SSN:", a "phone" column) decides the type of its value over any pattern.
_LABEL_SOURCES = frozenset({"table", "key-value"})


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class Scrubber:
    """Loads the NER model and recognizers once; ``scrub`` and ``scrub_batch`` are thread-safe
    as far as spaCy inference is."""

    def __init__(self, policy: PiiPolicy | None = None, *, names: Path | None = NAME_MODEL) -> None:
        """``names=None`` runs the base spaCy model's NER without our name weights (benchmarks
        compare the two)."""
        self._policy = policy or PiiPolicy()
        self._nlp = load_ner_pipeline(names=names)
        self._common_words = load_common_words()
        self._detectors = build_detectors(self._common_words)
        self._registries: dict[tuple[str, ...], RecognizerRegistry] = {}
        self._anonymizer = anonymizer()
        model = model_version(self._nlp)
        self.version = (
            f"{SCRUB_FORMAT} presidio-analyzer={_package_version('presidio-analyzer')} "
            f"presidio-anonymizer={_package_version('presidio-anonymizer')} spacy-model={model}"
        )
        self.config_digest = self.config_digest_for(self._policy)

    @property
    def policy(self) -> PiiPolicy:
        return self._policy

    def config_digest_for(self, policy: PiiPolicy) -> str:
        """Digest of the detector stack, the model and a policy: what provenance records."""
        spec = "\n".join([self.version, policy.digest(), *(d.spec() for d in self._detectors)])
        return hashlib.sha256(spec.encode()).hexdigest()

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
        operators = operator_configs(active.operator, active.active_entities, keyed_hash)
        entities = self._detect_batch(texts, active)
        settled = [
            self._settle(text, found, active, keyed_hash, operators)
            for text, found in zip(texts, entities, strict=True)
        ]
        for _ in range(_SETTLE_ROUNDS):
            extra = self._names_in_output(settled, active.active_entities)
            if not extra:
                break
            for i, more in extra.items():
                found = _resolve(_as_candidates(settled[i][1]) + more)
                settled[i] = self._settle(texts[i], found, active, keyed_hash, operators)
        return [result for result, _, _ in settled]

    def _names_in_output(
        self,
        settled: list[tuple[ScrubResult, tuple[Entity, ...], list[tuple[int, int, int]]]],
        wanted: frozenset[str],
    ) -> dict[int, list[Candidate]]:
        """People the model finds in an output line that holds a replacement, in the original
        text's offsets. A replacement changes what the model reads around it, so a second scrub
        could find a name the first did not; finding it now keeps scrubbing idempotent."""
        if "PERSON" not in wanted:
            return {}
        masks: dict[int, list[tuple[int, int, int]]] = {}
        todo: list[tuple[int, int, str]] = []
        for i, (result, _, _) in enumerate(settled):
            if "<" not in result.text:
                continue
            masked, masks[i] = _mask(result.text, ())
            for start, end in ner_segments(masked, self._common_words):
                if "<" in masked[start:end]:
                    todo.append((i, start, masked[start:end]))
        extra: dict[int, list[Candidate]] = {}
        for i, c in self._tag(todo, frozenset({"PERSON"})):
            in_output = _unmask(c, masks[i])
            original = None if in_output is None else _unmask(in_output, settled[i][2])
            if original is not None:
                extra.setdefault(i, []).append(original)
        return extra

    def analyze(self, text: str, *, policy: PiiPolicy | None = None) -> tuple[Entity, ...]:
        """Detected entities only, without replacing anything (for evaluation and debugging)."""
        return self._detect_batch([text], policy or self._policy)[0]

    def analyze_results(
        self, text: str, *, policy: PiiPolicy | None = None
    ) -> list[RecognizerResult]:
        """The same detections as Presidio ``RecognizerResult``s."""
        return [_result(e) for e in self.analyze(text, policy=policy)]

    def _registry(self, policy: PiiPolicy) -> RecognizerRegistry:
        registry = self._registries.get(policy.recognizers)
        if registry is None:
            registry = build_registry(self._detectors, policy.recognizer_configs())
            self._registries[policy.recognizers] = registry
        return registry

    def _settle(
        self,
        text: str,
        found: tuple[Entity, ...],
        policy: PiiPolicy,
        keyed_hash: KeyedHash | None,
        operators: dict[str, Any],
    ) -> tuple[ScrubResult, tuple[Entity, ...], list[tuple[int, int, int]]]:
        """Replace, then make sure a second pass of the recognizers finds nothing new; the
        result, the entities replaced and the output's unchanged segments.

        Context windows are measured in characters, and a token is longer or shorter than the
        value it replaced, so a context or anti-context word can move into or out of reach in
        the output; anything the recognizers would find there is mapped back and replaced too.
        """
        result, segments = self._apply(text, found, policy, keyed_hash, operators)
        registry = self._registry(policy)
        # Nothing replaced, nothing moved: the output is the input, already scanned.
        for _ in range(_SETTLE_ROUNDS if found else 0):
            extra = [
                mapped
                for c in self._pattern_candidates(
                    result.text, policy.active_entities, registry, contextual_only=True
                )
                if (mapped := _unmask(c, segments)) is not None
            ]
            if not extra:
                break
            found = _resolve(_as_candidates(found) + extra)
            result, segments = self._apply(text, found, policy, keyed_hash, operators)
        return result, found, segments

    def _detect_batch(self, texts: Sequence[str], policy: PiiPolicy) -> list[tuple[Entity, ...]]:
        wanted = policy.active_entities
        registry = self._registry(policy)
        maps = [unmask(text) for text in texts]
        views = [m.text if m is not None else t for t, m in zip(texts, maps, strict=True)]
        # Pass 1: the registry's recognizers, per text.
        found = [self._pattern_candidates(view, wanted, registry) for view in views]
        if wanted & NER_TYPES:
            self._ner_pass(views, found, wanted)
        out: list[tuple[Entity, ...]] = []
        for text, textmap, candidates in zip(texts, maps, found, strict=True):
            resolved = _resolve(candidates)
            if textmap is not None:
                back = [
                    Candidate(e.type, *textmap.original_span(e.start, e.end), e.score, "mapped")
                    for e in resolved
                ]
                resolved = _resolve([t for c in back if (t := _trim(text, c)) is not None])
            if "PERSON" in wanted:
                resolved = _resolve(
                    [
                        Candidate(
                            e.type,
                            *extend_person(text, e.start, e.end, self._common_words),
                            e.score,
                            "person",
                        )
                        if e.type == "PERSON"
                        else Candidate(e.type, e.start, e.end, e.score, "kept")
                        for e in resolved
                    ]
                )
                people = [(e.start, e.end) for e in resolved if e.type == "PERSON"]
                again = list(repeated_names(text, people, self._common_words))
                again += list_mates(text, people, self._common_words)
                again += column_mates(text, people, self._common_words)
                if again:
                    resolved = _resolve(
                        [Candidate(e.type, e.start, e.end, e.score, "kept") for e in resolved]
                        + [Candidate("PERSON", a, b, MIN_SCORE, "repeated-name") for a, b in again]
                    )
            out.append(resolved)
        return out

    def _ner_pass(
        self, views: list[str], found: list[list[Candidate]], wanted: frozenset[str]
    ) -> None:
        # NER sees each text with pass-1 detections and existing tokens replaced by plain
        # placeholders, so the model sees what a second scrub would see (idempotence).
        masks = [_mask(text, _resolve(c)) for text, c in zip(views, found, strict=True)]
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
        for i, c in self._tag(todo, wanted):
            mapped = _unmask(c, masks[i][1])
            if mapped is not None and (trimmed := _trim(views[i], mapped)) is not None:
                found[i].append(trimmed)

    def _tag(
        self, todo: list[tuple[int, int, str]], wanted: frozenset[str]
    ) -> Iterator[tuple[int, Candidate]]:
        """The model's candidates in each (text index, offset, piece), batched, at the piece's
        offset in its masked text."""
        try:
            docs = self._nlp.pipe((piece for _, _, piece in todo), batch_size=NER_BATCH_SIZE)
            for (i, offset, _), doc in zip(todo, docs, strict=True):
                for c in ner_candidates(doc, wanted, self._common_words):
                    yield i, Candidate(c.type, c.start + offset, c.end + offset, c.score, c.source)
        except (ValueError, RuntimeError, MemoryError) as exc:
            raise PrivragError(f"NER failed while scrubbing: {exc}") from exc

    def _pattern_candidates(
        self,
        text: str,
        wanted: frozenset[str],
        registry: RecognizerRegistry,
        *,
        contextual_only: bool = False,
    ) -> list[Candidate]:
        # Context words must not be read out of existing tokens ("<PHONE_NUMBER>" says "phone"),
        # and no detector may read a token as text or reach across it: tokens become runs of "_"
        # of the same length, which no detector takes for a word, a separator or a value.
        tokens = [m.span() for m in TOKEN_RE.finditer(text)] if "<" in text else []
        view = TOKEN_RE.sub(lambda m: "_" * len(m.group()), text) if tokens else text
        candidates = drop_inside_opaque_ids(
            view,
            [
                Candidate(r.entity_type, r.start, r.end, r.score, source_of(r))
                for r in run_registry(registry, view, wanted, contextual_only=contextual_only)
            ],
        )
        return [
            c
            for c in (_trim(text, c) for c in candidates)
            if c is not None
            and c.score >= MIN_SCORE
            and not any(c.start < t_end and t_start < c.end for t_start, t_end in tokens)
        ]

    def _apply(
        self,
        text: str,
        entities: tuple[Entity, ...],
        policy: PiiPolicy,
        keyed_hash: KeyedHash | None,
        operators: dict[str, Any],
    ) -> tuple[ScrubResult, list[tuple[int, int, int]]]:
        """The scrubbed result, and its unchanged segments as (output start, original start,
        length) for mapping output offsets back."""
        output, tokens = anonymize(
            self._anonymizer, text, [_result(e) for e in entities], operators
        )
        if len(tokens) != len(entities):
            raise PrivragError("the anonymizer changed the detected spans")
        originals: dict[str, str] = {}
        tags: dict[SubjectTag, None] = {}
        segments: list[tuple[int, int, int]] = []
        cursor = out = 0
        for entity, (_, t_end, token) in zip(entities, tokens, strict=True):
            if entity.start > cursor:
                segments.append((out, cursor, entity.start - cursor))
            cursor, out = entity.end, t_end
            value = text[entity.start : entity.end]
            if policy.operator == "reversible":
                originals.setdefault(token, value)
            if keyed_hash is not None:
                tags[SubjectTag(entity.type, subject_tag(keyed_hash, entity.type, value))] = None
        if cursor < len(text):
            segments.append((out, cursor, len(text) - cursor))
        result = ScrubResult(
            text=output,
            entities=entities,
            subject_tags=tuple(tags),
            originals=tuple(originals.items()),
        )
        return result, segments


def _as_candidates(entities: Sequence[Entity]) -> list[Candidate]:
    """Entities already settled, as candidates to resolve again beside new ones."""
    return [Candidate(e.type, e.start, e.end, e.score, "settled") for e in entities]


def _result(e: Entity) -> RecognizerResult:
    return RecognizerResult(entity_type=e.type, start=e.start, end=e.end, score=e.score)


# A pseudonym's or hash's suffix: "<PERSON_1f3a9c2e>" is masked as "<PERSON>", as the first
# scrub masked the name; "<CREDIT_CARD>" keeps its whole type.
_TOKEN_SUFFIX = re.compile(r"_[0-9a-f]{8,64}$")


def _mask(text: str, entities: tuple[Entity, ...]) -> tuple[str, list[tuple[int, int, int]]]:
    """Text with detections and existing tokens as ``<TYPE>``, and the unchanged segments as
    (masked start, original start, length) for mapping NER offsets back."""
    spans = [(e.start, e.end, e.type) for e in entities]
    if "<" in text:
        for m in TOKEN_RE.finditer(text):
            if not any(m.start() < e and s < m.end() for s, e, _ in spans):
                spans.append((m.start(), m.end(), _TOKEN_SUFFIX.sub("", m.group()[1:-1])))
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
    """Greedy by label, priority, score and length; a loser that sticks out widens the winner."""
    ordered = sorted(
        candidates,
        key=lambda c: (
            c.source in _LABEL_SOURCES,
            _PRIORITY.get(c.type, 0),
            c.score,
            c.end - c.start,
        ),
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
