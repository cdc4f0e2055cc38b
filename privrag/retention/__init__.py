"""Retention: when documents expire, and how deletions happen and are proven.

``policy`` decides expiry (one rule for ingest and policy changes); ``shredder`` deletes in a
crash-safe order (points, keys, catalog rows, tenant-key rotation); ``receipts`` signs and chains
a receipt for every deletion; ``sweeps`` plans and runs sweeps and erasure by subject.
"""

from privrag.retention.policy import DAY, RetentionPolicy, expires_at
from privrag.retention.receipts import ReceiptLog

__all__ = ["DAY", "ReceiptLog", "RetentionPolicy", "expires_at"]
