"""Indirect prompt-injection screening and the output filter on query results.

``screen(text)`` judges one chunk (``screen``: normalise and decode, ``features`` found by
multilingual concept patterns from ``lexicon``, weights summed into a score); ingest stores the
verdict as the clear ``prompt_injection`` flag. ``filter_hit_text`` (``output``) redacts secrets
that reach a query result and names what else it carries (URLs, e-mail-like strings, code).
Pure functions, no model and no I/O: the weights are hand-set constants (``features.WEIGHTS``).
"""

from privrag.screening.output import OUTPUT_FLAGS, FilteredText, filter_hit_text
from privrag.screening.screen import PROMPT_INJECTION, Verdict, screen

STORED_FLAGS = frozenset({PROMPT_INJECTION})

__all__ = [
    "OUTPUT_FLAGS",
    "PROMPT_INJECTION",
    "STORED_FLAGS",
    "FilteredText",
    "Verdict",
    "filter_hit_text",
    "screen",
]
