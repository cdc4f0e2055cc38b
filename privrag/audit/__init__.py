"""Tamper-evidence: one hash chain (``chain``) under the audit log (``log``) and the receipts."""

from privrag.audit.chain import GENESIS, Cursor, VerifyReport, canonical, digest
from privrag.audit.log import AuditLog, HeadSigner, head_message, head_path, verify

__all__ = [
    "GENESIS",
    "AuditLog",
    "Cursor",
    "HeadSigner",
    "VerifyReport",
    "canonical",
    "digest",
    "head_message",
    "head_path",
    "verify",
]
