"""PII detection and scrubbing on Presidio: the only place that imports Presidio or spaCy.

``Scrubber.scrub`` returns the scrubbed text, the entity spans (offsets into the original) and
keyed subject tags; what counts as PII, how it is replaced and which extra Presidio recognizers
run is a per-tenant ``PiiPolicy``. Layout: ``stack`` lists the detectors (``recognizers``,
``credentials``, ``addresses``, ``structure``, ``name_cues``, ``name_gazetteer``, ``ner``), which
``analysis`` runs as Presidio recognizers; ``textmap`` undoes obfuscation; ``operators`` are the
presidio-anonymizer operators; word lists live in ``data/`` and load through ``wordlists``.
"""

from typing import TYPE_CHECKING, Any

from privrag.pii.normalize import normalize, subject_tag
from privrag.pii.policy import ALL_ENTITIES, DEFAULT_ENTITIES, OPTIONAL_ENTITIES, PiiPolicy
from privrag.pii.types import Entity, KeyedHash, ScrubResult, SubjectTag

if TYPE_CHECKING:
    from privrag.pii.scrubber import Scrubber

__all__ = [
    "ALL_ENTITIES",
    "DEFAULT_ENTITIES",
    "OPTIONAL_ENTITIES",
    "Entity",
    "KeyedHash",
    "PiiPolicy",
    "ScrubResult",
    "Scrubber",
    "SubjectTag",
    "normalize",
    "subject_tag",
]


def __getattr__(name: str) -> Any:
    # Presidio and spaCy take seconds to import: only code that scrubs pays for them.
    if name == "Scrubber":
        from privrag.pii.scrubber import Scrubber

        return Scrubber
    raise AttributeError(f"module 'privrag.pii' has no attribute {name!r}")
