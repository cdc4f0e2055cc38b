"""Bodies of the operations routes: tenant settings, holds, keys, jobs, models, verification.

Request models refuse unknown fields like every other (``Strict``). A job answers ``202`` with a
``JobOut`` and is polled at ``/v1/admin/jobs/{id}`` until ``status`` is succeeded or failed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from privrag.api.schemas import Classification, Strict


class RetentionOut(BaseModel):
    default_days: int | None
    by_class: dict[str, int]


class RetentionChange(Strict):
    """A merge: fields left out keep their value. ``default_days: null`` drops the default, a
    class mapped to null drops its rule, ``clear`` starts from an empty policy."""

    default_days: int | None = Field(default=None, ge=1, le=36_500)
    by_class: dict[Classification, int | None] = Field(default_factory=dict)
    clear: bool = False


class RetentionChanged(BaseModel):
    policy: RetentionOut
    redated: int


class PiiPolicyOut(BaseModel):
    entities: list[str]
    operator: str
    note: str = "applies to what is ingested from now on; stored documents are not re-scrubbed"


class PiiPolicyChange(Strict):
    operator: str | None = Field(default=None, max_length=32)
    add: list[str] = Field(default_factory=list, max_length=64)
    drop: list[str] = Field(default_factory=list, max_length=64)


class HoldOut(BaseModel):
    tenant: str
    doc_id: str | None = None
    hold: bool


class Holds(BaseModel):
    tenants: list[str]
    documents: dict[str, list[str]]


class KeyInfo(BaseModel):
    key_id: str
    kind: str
    tenant: str | None
    scopes: list[str]
    label: str
    created_at: int
    revoked_at: int | None


class KeyList(BaseModel):
    keys: list[KeyInfo]


class OperatorKeyCreate(Strict):
    label: str = Field(default="", max_length=200)


class OperatorKeyCreated(BaseModel):
    key_id: str
    key: str


class PendingOffboarding(BaseModel):
    request_id: str
    tenant: str
    requested_by: str
    requested_at: int


class PendingList(BaseModel):
    deletions: list[PendingOffboarding]


class OperatorForget(Strict):
    subject: str = Field(min_length=1, max_length=1000)
    type: str | None = Field(default=None, max_length=64, pattern=r"^[A-Z_]+$")


class Verified(BaseModel):
    ok: bool
    count: int
    problem: str | None = None
    line: int | None = None


class SweepRequest(Strict):
    tenant: str | None = Field(default=None, min_length=1, max_length=63)
    dry_run: bool = False
    as_of: int | None = Field(default=None, ge=0, description="Unix seconds; dry runs only.")


class JobProgress(BaseModel):
    done: int
    total: int | None


class JobOut(BaseModel):
    id: str
    kind: str
    status: str
    tenant: str | None
    created_at: float
    finished_at: float | None
    progress: JobProgress
    result: Any = None
    error: dict[str, str] | None = None


class JobList(BaseModel):
    jobs: list[JobOut]


class ModelSwitch(Strict):
    allow_non_private: bool = False


class ModelInfo(BaseModel):
    version: int
    model_id: str
    created_at: int
    private: bool
    epsilon: float | None
    delta: float | None
    flagged: str | None
    active: bool


class ModelList(BaseModel):
    active: int | None
    models: list[ModelInfo]


class ModelVerified(BaseModel):
    version: int | None
    ok: bool
    problem: str | None = None
    card: dict[str, Any] | None = None


class FetchRequest(Strict):
    ids: list[str] = Field(min_length=1, max_length=100)


class FetchedDocument(BaseModel):
    doc_id: str
    chunks: list[str]
    metadata: dict[str, Any]
    source: str
    classification: str


class Fetched(BaseModel):
    documents: list[FetchedDocument]
