"""Long-running work as jobs: submitted, run in a thread of their own, polled for progress.

``Jobs.submit(kind, work)`` returns at once with a ``Job`` that a caller (the HTTP API answers
``202`` with it) polls until ``status`` is ``succeeded`` or ``failed``. ``work`` receives a
``progress(done, total)`` callback and returns a JSON-ready result. The registry is in memory and
per process: a job lost to a restart is rerun by its caller, which is safe because everything run
as a job (sweeps, model switches, training) is itself resumable and idempotent. Errors keep their
stable code; the message of anything a caller must not see (HTTP 500 classes) is replaced.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from privrag.errors import KeyUnavailable, NotFound, PrivragError

Progress = Callable[[int, int], None]
Work = Callable[[Progress], Any]

_GENERIC = "the job failed; the server log has the details"
# Finished jobs kept for polling; the oldest go first.
_KEEP = 1000


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    status: str  # queued | running | succeeded | failed
    created_at: float
    tenant: str | None = None
    done: int = 0
    total: int | None = None
    finished_at: float | None = None
    result: Any = None
    error: dict[str, str] | None = field(default=None)

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "tenant": self.tenant,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "progress": {"done": self.done, "total": self.total},
            "result": self.result,
            "error": self.error,
        }


def _error(exc: BaseException) -> dict[str, str]:
    if isinstance(exc, PrivragError) and exc.status < 500:
        return {"code": exc.code, "message": exc.message}
    code = exc.code if isinstance(exc, KeyUnavailable) else "internal"
    return {"code": code, "message": _GENERIC}


class Jobs:
    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, kind: str, work: Work, *, tenant: str | None = None) -> Job:
        job = Job(
            id=uuid.uuid4().hex,
            kind=kind,
            status="queued",
            created_at=self._clock(),
            tenant=tenant,
        )
        with self._lock:
            self._jobs[job.id] = job
            self._trim()
        threading.Thread(target=self._run, args=(job.id, work), daemon=True).start()
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r}")
        return job

    def list(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created_at)

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job is finished (tests and in-process callers)."""
        deadline = time.monotonic() + timeout
        while not (job := self.get(job_id)).finished and time.monotonic() < deadline:
            time.sleep(0.02)
        return job

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _run(self, job_id: str, work: Work) -> None:
        self._update(job_id, status="running")

        def progress(done: int, total: int) -> None:
            self._update(job_id, done=done, total=total)

        try:
            result = work(progress)
        except Exception as exc:
            self._update(job_id, status="failed", error=_error(exc), finished_at=self._clock())
        else:
            self._update(job_id, status="succeeded", result=result, finished_at=self._clock())

    def _trim(self) -> None:
        finished = [j for j in self._jobs.values() if j.finished]
        for job in sorted(finished, key=lambda j: j.created_at)[: max(0, len(finished) - _KEEP)]:
            del self._jobs[job.id]
