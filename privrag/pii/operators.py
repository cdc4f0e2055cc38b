"""Replacement tokens for detected values: typed placeholders, keyed pseudonyms, keyed hashes.

Every token has the shape ``<TYPE>`` or ``<TYPE_hex>``, matched by ``TOKEN_RE``; the scrubber
masks such tokens before analysis, so a second pass never treats a token as PII (idempotence).
Pseudonyms and hashes are keyed with the tenant's key, so the same value maps to the same token
within a tenant and to unrelated tokens across tenants.
"""

from __future__ import annotations

import re

from privrag.errors import InvalidInput
from privrag.pii.normalize import normalize
from privrag.pii.policy import Operator
from privrag.pii.types import KeyedHash

TOKEN_RE = re.compile(r"<[A-Z][A-Z_]*[A-Z](?:_[0-9a-f]{8,64})?>")

PSEUDONYM_PURPOSE = "pseudonym"
HASH_PURPOSE = "pii-hash"
# 8 hex chars (32 bits) keep pseudonym collisions rare within a tenant's population of subjects.
PSEUDONYM_HEX_CHARS = 8
HASH_HEX_CHARS = 32


def replacement(
    operator: Operator, entity_type: str, value: str, keyed_hash: KeyedHash | None
) -> str:
    if operator == "placeholder":
        return f"<{entity_type}>"
    if keyed_hash is None:
        raise InvalidInput(f"the {operator!r} PII operator needs the tenant's keyed hash")
    payload = f"{entity_type}:{normalize(entity_type, value)}".encode()
    if operator == "hash":
        digest = keyed_hash(HASH_PURPOSE, payload).hex()[:HASH_HEX_CHARS]
    else:
        digest = keyed_hash(PSEUDONYM_PURPOSE, payload).hex()[:PSEUDONYM_HEX_CHARS]
    return f"<{entity_type}_{digest}>"
