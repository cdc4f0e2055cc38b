"""PII detection and scrubbing: the only place that imports Presidio or spaCy.

``Scrubber.scrub`` returns the scrubbed text, the entity spans (offsets into the original) and
keyed subject tags; what counts as PII and how it is replaced is a per-tenant ``PiiPolicy``.
"""

from privrag.pii.normalize import normalize, subject_tag
from privrag.pii.policy import ALL_ENTITIES, DEFAULT_ENTITIES, OPTIONAL_ENTITIES, PiiPolicy
from privrag.pii.scrubber import Scrubber
from privrag.pii.types import Entity, KeyedHash, ScrubResult, SubjectTag

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
