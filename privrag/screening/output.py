"""The output filter: the last look at a chunk's text before it leaves in a query result.

Secrets are found again with the scrubber's own secret detectors (provider key formats, labelled
and keyword secrets, high-entropy tokens) and replaced by ``<SECRET>``: this catches what was
stored before a detector existed, under a tenant policy that keeps secrets, or by a scrubber
version that missed it. Third-party content is named, not removed: ``url``, ``email`` (an
address-like string the scrubber left, e.g. "name at host dot com") and ``code`` (fenced or
inline code, shell commands, program statements). The flags say what a hit carries so a caller
can decide; the text is otherwise returned as stored.

The same chunks come back in query after query, so what the filter found (the secret spans and
the flags, never any text) is remembered per text under a keyed BLAKE2b digest whose key is drawn
at random for each process and never stored: the memory holds positions and flag names only, and
a text is matched exactly or not at all, within one tenant (entries are never shared across
tenants, so their timing tells nothing about another tenant's texts). The detectors are fixed
for the life of a process, so a remembered answer is the answer the filter would give again."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from privrag.pii.credentials import build_secret_recognizers, find_keyword_secrets
from privrag.pii.detectors import MIN_SCORE

SECRET_PLACEHOLDER = "<SECRET>"  # noqa: S105 - the placeholder the scrubber writes
OUTPUT_FLAGS = frozenset({"url", "email", "code", "secret_redacted"})

_DETECTORS = build_secret_recognizers()
_URL = re.compile(
    r"\b(?:https?|ftp)://[^\s<>\"')\]]+|\bwww\.[a-z0-9-]+\.[a-z]{2,}[^\s<>\"')\]]*", re.I
)
_EMAIL = re.compile(
    r"\b[\w.+-]+\s*(?:@|\(at\)|\[at\]|\sat\s)\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\sdot\s)\s*[\w-]+)+",
    re.I,
)
# An address spelled out ("jane at example dot com") counts; "at" in prose alone does not.
_EMAIL_STRICT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|\((?:at|dot)\)|\[(?:at|dot)\]|\sat\s+[\w-]+\s+dot\s+[a-z]{2,6}\b",
    re.I,
)
_CODE = re.compile(
    r"```|`[^`\n]{2,200}`|^\s*(?:\$|>>>|#!)\s*\S|\b(?:import|from)\s+[\w.]+\s+import\b"
    r"|\b(?:def|function|class)\s+\w+\s*\(|\b(?:curl|wget|sudo|rm -rf|chmod|powershell)\s"
    r"|<script\b|\beval\(|\bexec\(|\b\w+\s*\([^()]*\)\s*;|\bSELECT\s+.+\s+FROM\s",
    re.MULTILINE,
)


@dataclass(frozen=True)
class FilteredText:
    text: str
    flags: tuple[str, ...]


# What the filter found in a text: its secret spans and its flags (no text).
_Found = tuple[tuple[tuple[int, int], ...], tuple[str, ...]]


class _Remembered:
    """A bounded LRU map from a keyed digest of a text to what the filter found in it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._key = os.urandom(32)
        self._found: OrderedDict[bytes, _Found] = OrderedDict()
        self._lock = threading.Lock()

    def digest(self, text: str, scope: str) -> bytes:
        return hashlib.blake2b(
            scope.encode() + b"\0" + text.encode("utf-8", "surrogatepass"),
            key=self._key,
            digest_size=16,
        ).digest()

    def get(self, digest: bytes) -> _Found | None:
        with self._lock:
            found = self._found.get(digest)
            if found is not None:
                self._found.move_to_end(digest)
            return found

    def put(self, digest: bytes, found: _Found) -> None:
        with self._lock:
            self._found[digest] = found
            self._found.move_to_end(digest)
            while len(self._found) > self.size:
                self._found.popitem(last=False)

    def __len__(self) -> int:
        return len(self._found)


_REMEMBERED = _Remembered(8192)


def filter_hit_text(text: str, *, scope: str = "") -> FilteredText:
    """``text`` with any secret redacted, and the output flags it earned (sorted). ``scope``
    (the tenant) keeps what is remembered apart: one tenant's query never finds an entry another
    tenant's query made, so its timing says nothing about another tenant's texts."""
    digest = _REMEMBERED.digest(text, scope)
    found = _REMEMBERED.get(digest)
    if found is None:
        found = _find(text)
        _REMEMBERED.put(digest, found)
    spans, flags = found
    return FilteredText(_redact(text, list(spans)) if spans else text, flags)


def _find(text: str) -> _Found:
    flags: set[str] = set()
    spans = _secret_spans(text)
    if spans:
        flags.add("secret_redacted")
        text = _redact(text, spans)
    if _URL.search(text):
        flags.add("url")
    if any(_EMAIL_STRICT.search(m.group()) for m in _EMAIL.finditer(text)):
        flags.add("email")
    if _CODE.search(text):
        flags.add("code")
    return tuple(spans), tuple(sorted(flags))


def _secret_spans(text: str) -> list[tuple[int, int]]:
    lowered = text.lower()
    found = [(c.start, c.end) for d in _DETECTORS for c in d.find(text, lowered)]
    found += [(c.start, c.end) for c in find_keyword_secrets(text) if c.score >= MIN_SCORE]
    # Placeholders the scrubber wrote are not secrets.
    return [(a, b) for a, b in found if not text[a:b].startswith("<")]


def _redact(text: str, spans: list[tuple[int, int]]) -> str:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out, pos = [], 0
    for start, end in merged:
        out += [text[pos:start], SECRET_PLACEHOLDER]
        pos = end
    out.append(text[pos:])
    return "".join(out)
