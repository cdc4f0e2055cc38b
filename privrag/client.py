"""A small HTTP client for a running privrag server (the CLI's ``--url`` mode).

Error bodies come back as the same ``PrivragError`` classes the service raises, chosen by the
stable ``code``, so callers handle local and remote errors alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any
from urllib.parse import quote

import httpx

from privrag import errors
from privrag.models import Document


class Client:
    def __init__(self, url: str, api_key: str, *, timeout: float = 120.0) -> None:
        self._http = httpx.Client(
            base_url=url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = self._http.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise errors.StoreUnavailable(f"cannot reach the server: {type(exc).__name__}") from exc
        if response.is_success:
            return response.json()
        try:
            detail = response.json()["error"]
            code, message = str(detail["code"]), str(detail["message"])
        except (ValueError, KeyError, TypeError):
            code, message = "internal", f"server answered {response.status_code}"
        if response.status_code == 429:
            retry = float(response.headers.get("retry-after", "1"))
            raise errors.RateLimited(message, retry_after=retry, code=code)
        cls = errors.by_code(code) or errors.by_status(response.status_code)
        error = cls(message)
        error.code = code
        raise error

    def ingest(self, documents: Sequence[Document]) -> dict[str, Any]:
        docs = [{k: v for k, v in asdict(d).items() if v is not None} for d in documents]
        result: dict[str, Any] = self._call("POST", "/v1/documents", {"documents": docs})
        return result

    def query(
        self,
        text: str,
        *,
        k: int = 5,
        classifications: Sequence[str] | None = None,
        mode: str = "hybrid",
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"query": text, "k": k, "mode": mode}
        if classifications is not None:
            body["filter"] = {"classification": list(classifications)}
        result: dict[str, Any] = self._call("POST", "/v1/query", body)
        return result

    def get_document(self, doc_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/v1/documents/{quote(doc_id, safe='')}")
        return result

    def delete(self, doc_id: str) -> None:
        self._call("DELETE", f"/v1/documents/{quote(doc_id, safe='')}")
