"""``privrag.Client``: the whole HTTP API, synchronously, on httpx.

One key per client: a tenant key for the document routes (its tenant is the key's), an operator
key for the ``/v1/admin`` routes, which take a tenant name. Answers are the service's own value
objects; errors are the service's own classes (``privrag.errors.by_code``). 429 and 503 answers
and failed connections are retried with backoff, honouring ``Retry-After``. Long operations are
jobs: ``start_*`` returns a ``Job``; ``sweep``, ``activate_model``, ``rollback_model``,
``train``, ``rescrub`` and ``reprotect_vectors`` wait for theirs (``progress(done, total)`` is
called as it moves). ``train``, ``budget`` and ``set_budget`` reach the training plugin's routes,
which a server has when ``privrag_training`` is installed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import httpx

from privrag import errors
from privrag.access import IssuedKey
from privrag.audit import VerifyReport
from privrag.client import _calls as c
from privrag.client._calls import Call, T
from privrag.models import Document, IngestReport, Tenant
from privrag.pii.policy import PiiPolicy
from privrag.retention import RetentionPolicy
from privrag.service.jobs import Job
from privrag.service.results import DocumentInfo, QueryResult, SweepResult


class Client:
    """``Client(url, api_key)``; a context manager. Example::

    with privrag.Client("http://127.0.0.1:8000", key) as rag:
        for hit in rag.query("refund request", k=3).hits:
            print(hit.score, hit.text)
    """

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        timeout: float = 120.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = httpx.Client(
            base_url=url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
            transport=transport,
        )
        self._retries = max_retries
        self._backoff = (backoff, max_backoff)
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            response = None
            try:
                response = self._http.request(
                    call.method, call.path, json=call.json, params=call.params or None
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if attempt >= self._retries:
                    raise errors.StoreUnavailable(f"cannot reach the server: {exc}") from exc
            except httpx.HTTPError as exc:
                raise errors.StoreUnavailable(f"cannot reach the server: {exc}") from exc
            else:
                if response.is_success:
                    return call.parse(response.json())
                if response.status_code not in c.RETRY_STATUSES or attempt >= self._retries:
                    raise c.error_for(response)
            base, cap = self._backoff
            self._sleep(c.backoff(attempt, response, base=base, cap=cap))
            attempt += 1

    def wait(
        self,
        job: Job | str,
        *,
        poll: float = 0.25,
        timeout: float | None = None,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> Job:
        """Poll until the job is finished; a failed job raises its error."""
        job_id = job if isinstance(job, str) else job.id
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            current = self.job(job_id)
            if progress is not None:
                progress(current.done, current.total)
            if current.status == "failed":
                raise c.job_error(current)
            if current.finished:
                return current
            if deadline is not None and time.monotonic() > deadline:
                raise errors.StoreUnavailable(f"job {job_id} is still {current.status}")
            self._sleep(poll)

    def sweep(
        self,
        tenant: str | None = None,
        *,
        dry_run: bool = False,
        as_of: int | None = None,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> list[SweepResult]:
        """Run a retention sweep (one tenant or all) and wait for it (operator)."""
        job = self.wait(self.start_sweep(tenant, dry_run=dry_run, as_of=as_of), progress=progress)
        return c.sweep_results(job.result)

    def activate_model(
        self, tenant: str, version: int, *, allow_non_private: bool = False
    ) -> dict[str, Any]:
        """Serve ``tenant`` with model ``version`` once its chunks are re-embedded (operator)."""
        job = self.start_activation(tenant, version, allow_non_private=allow_non_private)
        return dict(self.wait(job).result)

    def rollback_model(self, tenant: str) -> dict[str, Any]:
        """Go back to the previously active model, waiting for the re-embedding (operator)."""
        return dict(self.wait(self.start_rollback(tenant)).result)

    def train(
        self,
        tenant: str,
        *,
        progress: Callable[[int, int | None], None] | None = None,
        **config: Any,
    ) -> dict[str, Any]:
        """DP fine-tune the tenant's model (``privrag train`` options as keywords: ``epsilon``,
        ``epochs``, ``non_private``, ``force``...) and wait; returns ``{'version', 'model_id',
        'card'}``. Needs the training plugin on the server (operator)."""
        job = self.wait(self.start_training(tenant, **config), progress=progress)
        return dict(job.result)

    def rescrub(
        self, tenant: str, *, progress: Callable[[int, int | None], None] | None = None
    ) -> dict[str, Any]:
        """Re-scrub the tenant's stored documents with its current PII policy and wait
        (operator); rerun to resume."""
        return dict(self.wait(self.start_rescrub(tenant), progress=progress).result)

    def reprotect_vectors(
        self, tenant: str, *, progress: Callable[[int, int | None], None] | None = None
    ) -> dict[str, Any]:
        """Re-protect the tenant's vectors under a new vector key version and wait (operator);
        rerun to resume."""
        return dict(self.wait(self.start_reprotection(tenant), progress=progress).result)

    def ingest(self, documents: Sequence[Document]) -> list[IngestReport]:
        """Scrub, chunk, embed, seal and store documents (tenant key, scope ingest)."""
        return self._run(c.ingest(documents))

    def query(
        self,
        text: str,
        *,
        k: int = 5,
        classifications: Sequence[str] | None = None,
        mode: str = "hybrid",
        exclude_flags: Sequence[str] | None = None,
    ) -> QueryResult:
        """Scrubbed chunks with provenance and flags (tenant key, scope query); pass
        ``exclude_flags=["prompt_injection"]`` to leave chunks flagged at ingest out."""
        return self._run(c.query(text, k, classifications, mode, exclude_flags))

    def list_documents(self) -> list[str]:
        """The tenant's document ids."""
        return self._run(c.list_documents())

    def get_document(self, doc_id: str) -> DocumentInfo:
        """Metadata and provenance of a document, never its text."""
        return self._run(c.get_document(doc_id))

    def fetch_documents(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Live documents by id: ``doc_id``, scrubbed ``chunks``, ``metadata``, ``source``,
        ``classification``; unknown or expired ids are left out (scope query)."""
        return self._run(c.fetch_documents(doc_ids))

    def delete(self, doc_id: str) -> None:
        """Delete a document and shred its key (scope delete)."""
        return self._run(c.delete(doc_id))

    def forget(self, subject: str, *, entity_type: str | None = None) -> SweepResult:
        """Erase every document that mentioned a data subject (scope delete)."""
        return self._run(c.forget(subject, entity_type))

    def create_tenant(self, name: str) -> Tenant:
        """Create a tenant (operator)."""
        return self._run(c.create_tenant(name))

    def list_tenants(self) -> list[Tenant]:
        """Every tenant (operator)."""
        return self._run(c.list_tenants())

    def suspend_tenant(self, name: str) -> Tenant:
        """Kill switch: the tenant's keys stop working (operator)."""
        return self._run(c.set_suspended(name, True))

    def resume_tenant(self, name: str) -> Tenant:
        """Lift a suspension (operator)."""
        return self._run(c.set_suspended(name, False))

    def create_key(
        self, tenant: str, scopes: Iterable[str] = ("delete", "ingest", "query")
    ) -> IssuedKey:
        """A tenant API key, shown once (operator)."""
        return self._run(c.create_key(tenant, scopes))

    def list_keys(self, tenant: str | None = None) -> list[dict[str, Any]]:
        """A tenant's keys, or (no tenant) the operator keys; never the secrets (operator)."""
        return self._run(c.list_keys(tenant))

    def create_operator_key(self, label: str = "") -> IssuedKey:
        """An operator key, shown once (operator)."""
        return self._run(c.create_operator_key(label))

    def revoke_key(self, key_id: str) -> None:
        """Revoke a tenant or operator key at once (operator)."""
        return self._run(c.revoke_key(key_id))

    def retention(self, tenant: str) -> RetentionPolicy:
        """A tenant's retention policy (operator)."""
        return self._run(c.retention(tenant))

    def update_retention(
        self,
        tenant: str,
        *,
        default_days: int | None = None,
        drop_default: bool = False,
        by_class: Mapping[str, int | None] | None = None,
        clear: bool = False,
    ) -> tuple[RetentionPolicy, int]:
        """Merge a retention change; returns the policy and how many documents were re-dated."""
        return self._run(c.update_retention(tenant, default_days, drop_default, by_class, clear))

    def pii_policy(self, tenant: str) -> PiiPolicy:
        """A tenant's PII policy (operator)."""
        return self._run(c.pii_policy(tenant))

    def update_pii_policy(
        self,
        tenant: str,
        *,
        operator: str | None = None,
        add: Iterable[str] = (),
        drop: Iterable[str] = (),
    ) -> PiiPolicy:
        """Merge a PII policy change; ``rescrub`` then brings stored documents up to it (operator)."""
        return self._run(c.update_pii_policy(tenant, operator, add, drop))

    def hold_tenant(self, tenant: str, hold: bool = True) -> None:
        """Put (or lift) a legal hold on a whole tenant (operator)."""
        return self._run(c.hold(tenant, None, hold))

    def hold_document(self, tenant: str, doc_id: str, hold: bool = True) -> None:
        """Put (or lift) a legal hold on one document (operator)."""
        return self._run(c.hold(tenant, doc_id, hold))

    def holds(self) -> dict[str, Any]:
        """Every hold: held tenants and held documents per tenant (operator)."""
        return self._run(c.holds())

    def forget_in(
        self, tenant: str, subject: str, *, entity_type: str | None = None
    ) -> SweepResult:
        """Erase a data subject from a named tenant (operator)."""
        return self._run(c.forget_in(tenant, subject, entity_type))

    def reveal(self, tenant: str, doc_id: str) -> dict[str, str]:
        """Original values behind a document's pseudonyms (reversible mode; operator)."""
        return self._run(c.reveal(tenant, doc_id))

    def request_offboarding(self, tenant: str) -> str:
        """First step of crypto-shredding a tenant; returns the request id (operator)."""
        return self._run(c.request_offboarding(tenant))

    def approve_offboarding(self, request_id: str) -> dict[str, Any]:
        """Second step, by another operator; returns the signed receipt. Irreversible."""
        return self._run(c.approve_offboarding(request_id))

    def cancel_offboarding(self, request_id: str) -> None:
        """Cancel a pending offboarding (operator)."""
        return self._run(c.cancel_offboarding(request_id))

    def pending_offboardings(self) -> list[dict[str, Any]]:
        """Offboardings waiting for a second operator (operator)."""
        return self._run(c.pending_offboardings())

    def start_sweep(
        self, tenant: str | None = None, *, dry_run: bool = False, as_of: int | None = None
    ) -> Job:
        """Start a retention sweep job (operator); see ``sweep`` to wait for it."""
        return self._run(c.start_sweep(tenant, dry_run, as_of))

    def job(self, job_id: str) -> Job:
        """A job's status, progress and result (operator)."""
        return self._run(c.get_job(job_id))

    def jobs(self) -> list[Job]:
        """Every job this server knows (operator)."""
        return self._run(c.list_jobs())

    def list_models(self, tenant: str) -> dict[str, Any]:
        """A tenant's models and the active version (operator)."""
        return self._run(c.list_models(tenant))

    def start_activation(
        self, tenant: str, version: int, *, allow_non_private: bool = False
    ) -> Job:
        """Start re-embedding a tenant with model VERSION (operator)."""
        return self._run(c.start_activation(tenant, version, allow_non_private))

    def start_rollback(self, tenant: str) -> Job:
        """Start going back to the previously active model (operator)."""
        return self._run(c.start_rollback(tenant))

    def verify_model(self, tenant: str, version: int | None = None) -> dict[str, Any]:
        """Check a model's signature: ``{'ok', 'version', 'problem', 'card'}`` (operator)."""
        return self._run(c.verify_model(tenant, version))

    def model_card(self, tenant: str, version: int) -> dict[str, Any]:
        """A model's verified card (operator)."""
        return self._run(c.model_card(tenant, version))

    def start_training(self, tenant: str, **config: Any) -> Job:
        """Start a training run job; see ``train`` to wait for it (operator)."""
        return self._run(c.start_training(tenant, config))

    def budget(self, tenant: str) -> dict[str, Any]:
        """The tenant's privacy budget: total, spent, remaining, runs (operator)."""
        return self._run(c.budget(tenant))

    def set_budget(self, tenant: str, epsilon: float) -> dict[str, Any]:
        """Change the tenant's total epsilon; refused below what is spent (operator)."""
        return self._run(c.set_budget(tenant, epsilon))

    def start_rescrub(self, tenant: str) -> Job:
        """Start a re-scrub job (operator)."""
        return self._run(c.start_rescrub(tenant))

    def start_reprotection(self, tenant: str) -> Job:
        """Start a vector re-protection job (operator)."""
        return self._run(c.start_reprotection(tenant))

    def verify_receipts(self) -> VerifyReport:
        """Check the deletion receipts' signatures and chain (operator)."""
        return self._run(c.verify_receipts())

    def verify_audit(self) -> VerifyReport:
        """Check the audit log's hash chain (operator)."""
        return self._run(c.verify_audit())

    def ready(self) -> bool:
        """Whether the server can serve (no key needed)."""
        return self._run(c.ready())
