"""Our detectors as Presidio recognizers, and a tenant's own Presidio recognizers from data.

Every detector (regex families, structure, cues, names by shape, addresses, secrets) implements
the ``Detector`` protocol and runs inside Presidio as a ``DetectorRecognizer``, an
``EntityRecognizer`` in a ``RecognizerRegistry``, so detection yields Presidio
``RecognizerResult``s whose ``recognition_metadata`` names the detector. A tenant may add
recognizers in Presidio's own recognizer-config shape (``PatternRecognizer.from_dict``: name,
supported_entity, patterns, deny_list, context); their context words raise the score the way ours
do, since we do not run Presidio's NLP-based context enhancer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from presidio_analyzer import EntityRecognizer, PatternRecognizer, RecognizerRegistry
from presidio_analyzer import RecognizerResult as RecognizerResult

from privrag.errors import ConfigError
from privrag.pii.detectors import CONTEXT_BEFORE, CONTEXT_BOOST, Candidate, words_re

LANGUAGE = "en"
SOURCE_KEY = RecognizerResult.RECOGNIZER_NAME_KEY


class Detector(Protocol):
    """Finds candidate spans of some entity types in a text (``lowered`` is ``text.lower()``)."""

    @property
    def name(self) -> str: ...

    @property
    def entity_types(self) -> frozenset[str]: ...

    def find(self, text: str, lowered: str) -> Iterable[Candidate]: ...

    def spec(self) -> str: ...

    @property
    def contextual(self) -> bool:
        """Whether text outside a match changes its verdict (context words within reach)."""
        ...


@dataclass(frozen=True)
class FunctionDetector:
    """A detector made of a function of the text, for the non-regex families."""

    name: str
    entity_types: frozenset[str]
    fn: Callable[[str], Iterable[Candidate]]
    version: str = "1"

    def find(self, text: str, lowered: str) -> Iterable[Candidate]:
        return self.fn(text)

    def spec(self) -> str:
        return f"{self.name}|{','.join(sorted(self.entity_types))}|{self.version}"

    @property
    def contextual(self) -> bool:
        # Structure, cues and shapes read the value's own line; a replacement elsewhere
        # changes nothing they see, and tokens are inert runs to them.
        return False


class DetectorRecognizer(EntityRecognizer):
    """One of our detectors, as Presidio sees it."""

    def __init__(self, detector: Detector) -> None:
        self.detector = detector
        super().__init__(
            supported_entities=sorted(detector.entity_types),
            name=detector.name,
            supported_language=LANGUAGE,
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None, lowered: str | None = None
    ) -> list[RecognizerResult]:
        wanted = set(entities)
        return [
            to_result(c)
            for c in self.detector.find(text, text.lower() if lowered is None else lowered)
            if c.type in wanted
        ]


class TenantRecognizer(EntityRecognizer):
    """A tenant's Presidio ``PatternRecognizer``, with its context words applied as a boost."""

    def __init__(self, inner: PatternRecognizer, config: str) -> None:
        config_name: Any = getattr(inner, "name", "tenant")
        self.inner = inner
        self.config = config
        self._context = words_re(tuple(w.lower() for w in inner.context or ()))
        super().__init__(
            supported_entities=inner.supported_entities,
            name=str(config_name),
            supported_language=inner.supported_language,
        )

    @property
    def contextual(self) -> bool:
        return self._context is not None

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None, lowered: str | None = None
    ) -> list[RecognizerResult]:
        results = self.inner.analyze(text, entities, cast(Any, None)) or []
        if self._context is None:
            return list(results)
        low = text.lower() if lowered is None else lowered
        for r in results:
            if self._context.search(low, max(0, r.start - CONTEXT_BEFORE), r.start):
                r.score = min(1.0, r.score + CONTEXT_BOOST)
        return list(results)


def to_result(c: Candidate) -> RecognizerResult:
    return RecognizerResult(
        entity_type=c.type,
        start=c.start,
        end=c.end,
        score=c.score,
        recognition_metadata={SOURCE_KEY: c.source},
    )


def source_of(r: RecognizerResult) -> str:
    return str((r.recognition_metadata or {}).get(SOURCE_KEY, "?"))


def tenant_recognizer(config: dict[str, Any]) -> TenantRecognizer:
    """A Presidio ``PatternRecognizer`` from its recognizer-config dict, or ``ConfigError``."""
    try:
        inner = PatternRecognizer.from_dict(config)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ConfigError(f"invalid PII recognizer {config.get('name')!r}: {exc}") from exc
    return TenantRecognizer(inner, json.dumps(config, sort_keys=True))


def build_registry(
    detectors: Sequence[Detector], tenant: Sequence[dict[str, Any]] = ()
) -> RecognizerRegistry:
    recognizers: list[EntityRecognizer] = [DetectorRecognizer(d) for d in detectors]
    recognizers.extend(tenant_recognizer(c) for c in tenant)
    return RecognizerRegistry(recognizers=recognizers, supported_languages=[LANGUAGE])


def run_registry(
    registry: RecognizerRegistry,
    text: str,
    wanted: frozenset[str],
    *,
    contextual_only: bool = False,
) -> Iterator[RecognizerResult]:
    """Every recognizer's results, or only those of recognizers that read context words."""
    lowered = text.lower()
    for recognizer in registry.get_recognizers(language=LANGUAGE, entities=sorted(wanted)):
        if contextual_only and not _contextual(recognizer):
            continue
        entities = [e for e in recognizer.supported_entities if e in wanted]
        if isinstance(recognizer, DetectorRecognizer | TenantRecognizer):
            yield from recognizer.analyze(text, entities, None, lowered)
        else:
            yield from recognizer.analyze(text, entities, cast(Any, None)) or []


def _contextual(recognizer: EntityRecognizer) -> bool:
    if isinstance(recognizer, DetectorRecognizer):
        return recognizer.detector.contextual
    if isinstance(recognizer, TenantRecognizer):
        return recognizer.contextual
    return True
