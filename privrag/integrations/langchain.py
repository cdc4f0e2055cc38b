"""LangChain over a privrag server: ``PrivragVectorStore`` (a ``VectorStore``) and
``PrivragRetriever`` (a ``BaseRetriever``).

The server embeds, scrubs and seals, so the store takes no ``Embeddings`` and what comes back is
scrubbed text. Documents are privrag documents: ``add_texts`` ingests each text as one document
(ids kept, or fresh UUIDs), the user's metadata is returned exactly as given, and
``include_provenance=True`` adds the chunk's provenance under ``metadata["privrag_provenance"]``.
A search hit is one chunk; its ``id`` is the document id. Sync calls use ``privrag.Client``,
async ones ``privrag.AsyncClient``; the tenant is the API key's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore

from privrag.client import AsyncClient, Client
from privrag.errors import NotFound
from privrag.models import Document
from privrag.service.results import QueryResult

PROVENANCE = "privrag_provenance"
_BATCH = 64


def _documents(
    texts: Iterable[str], metadatas: list[dict[str, Any]] | None, ids: list[str] | None
) -> tuple[list[Document], list[str]]:
    texts = list(texts)
    chosen = [i or str(uuid.uuid4()) for i in ids] if ids else [str(uuid.uuid4()) for _ in texts]
    metas = metadatas or [{} for _ in texts]
    docs = [
        Document(id=i, text=t, metadata=dict(m or {}))
        for i, t, m in zip(chosen, texts, metas, strict=True)
    ]
    return docs, chosen


def _fetched(items: list[dict[str, Any]]) -> list[LCDocument]:
    return [
        LCDocument(page_content="\n".join(d["chunks"]), metadata=d["metadata"], id=d["doc_id"])
        for d in items
    ]


def _hits(
    result: QueryResult, metadata: dict[str, dict[str, Any]], provenance: bool
) -> list[tuple[LCDocument, float]]:
    found = []
    for hit in result.hits:
        meta = dict(metadata.get(hit.doc_id, {}))
        if provenance:
            meta[PROVENANCE] = hit.provenance.to_dict()
        found.append((LCDocument(page_content=hit.text, metadata=meta, id=hit.doc_id), hit.score))
    return found


class PrivragVectorStore(VectorStore):
    """``PrivragVectorStore(url="http://127.0.0.1:8000", api_key="prk_...")``; the key needs
    the scopes of what is called (ingest, query, delete)."""

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        include_provenance: bool = False,
        **client_options: Any,
    ) -> None:
        self._url, self._key, self._options = url, api_key, client_options
        self._client = Client(url, api_key, **client_options)
        self.include_provenance = include_provenance

    @property
    def embeddings(self) -> Embeddings | None:
        return None  # the server embeds, with the tenant's own model

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PrivragVectorStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _async(self) -> AsyncClient:
        # One per call: an httpx.AsyncClient belongs to the event loop it was used on.
        return AsyncClient(self._url, self._key, **self._options)

    def add_texts(
        self,
        texts: Iterable[str],
        metadatas: list[dict[str, Any]] | None = None,
        *,
        ids: list[str] | None = None,
        **kwargs: Any,
    ) -> list[str]:
        docs, chosen = _documents(texts, metadatas, ids)
        for start in range(0, len(docs), _BATCH):
            self._client.ingest(docs[start : start + _BATCH])
        return chosen

    async def aadd_texts(
        self,
        texts: Iterable[str],
        metadatas: list[dict[str, Any]] | None = None,
        *,
        ids: list[str] | None = None,
        **kwargs: Any,
    ) -> list[str]:
        docs, chosen = _documents(texts, metadatas, ids)
        async with self._async() as client:
            for start in range(0, len(docs), _BATCH):
                await client.ingest(docs[start : start + _BATCH])
        return chosen

    def delete(self, ids: list[str] | None = None, **kwargs: Any) -> bool | None:
        for doc_id in ids or []:
            try:
                self._client.delete(doc_id)
            except NotFound:
                continue
        return True

    async def adelete(self, ids: list[str] | None = None, **kwargs: Any) -> bool | None:
        async with self._async() as client:
            for doc_id in ids or []:
                try:
                    await client.delete(doc_id)
                except NotFound:
                    continue
        return True

    def get_by_ids(self, ids: Sequence[str], /) -> list[LCDocument]:
        """Documents by id (text: the scrubbed chunks, joined); missing ids are left out."""
        return _fetched(self._client.fetch_documents(list(ids))) if ids else []

    async def aget_by_ids(self, ids: Sequence[str], /) -> list[LCDocument]:
        if not ids:
            return []
        async with self._async() as client:
            return _fetched(await client.fetch_documents(list(ids)))

    def similarity_search_with_score(
        self, query: str, k: int = 4, **kwargs: Any
    ) -> list[tuple[LCDocument, float]]:
        result = self._client.query(query, k=k, classifications=kwargs.get("classifications"))
        metadata = {
            d: self._client.get_document(d).metadata for d in {h.doc_id for h in result.hits}
        }
        return _hits(result, metadata, self.include_provenance)

    async def asimilarity_search_with_score(
        self, query: str, k: int = 4, **kwargs: Any
    ) -> list[tuple[LCDocument, float]]:
        async with self._async() as client:
            result = await client.query(query, k=k, classifications=kwargs.get("classifications"))
            metadata = {}
            for doc_id in {h.doc_id for h in result.hits}:
                metadata[doc_id] = (await client.get_document(doc_id)).metadata
        return _hits(result, metadata, self.include_provenance)

    def similarity_search(self, query: str, k: int = 4, **kwargs: Any) -> list[LCDocument]:
        return [doc for doc, _ in self.similarity_search_with_score(query, k, **kwargs)]

    async def asimilarity_search(self, query: str, k: int = 4, **kwargs: Any) -> list[LCDocument]:
        return [doc for doc, _ in await self.asimilarity_search_with_score(query, k, **kwargs)]

    def _select_relevance_score_fn(self) -> Callable[[float], float]:
        return self._cosine_relevance_score_fn

    @classmethod
    def from_texts(
        cls,
        texts: list[str],
        embedding: Embeddings | None = None,
        metadatas: list[dict[str, Any]] | None = None,
        *,
        ids: list[str] | None = None,
        **kwargs: Any,
    ) -> PrivragVectorStore:
        """``embedding`` is ignored (the server embeds); ``url`` and ``api_key`` are required."""
        store = cls(kwargs.pop("url"), kwargs.pop("api_key"), **kwargs)
        store.add_texts(texts, metadatas, ids=ids)
        return store


class PrivragRetriever(BaseRetriever):
    """``PrivragRetriever(url=..., api_key=..., k=4)``; ``invoke(query, k=...)`` overrides k."""

    url: str
    api_key: str
    k: int = 4
    include_provenance: bool = False
    classifications: list[str] | None = None

    def _vectorstore(self) -> PrivragVectorStore:
        # A store (and connection) per call: a retriever holds no open socket between calls.
        return PrivragVectorStore(
            self.url, self.api_key, include_provenance=self.include_provenance
        )

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[LCDocument]:
        k = int(kwargs.get("k", self.k))
        with self._vectorstore() as store:
            return store.similarity_search(query, k=k, classifications=self.classifications)

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[LCDocument]:
        k = int(kwargs.get("k", self.k))
        with self._vectorstore() as store:
            return await store.asimilarity_search(query, k=k, classifications=self.classifications)
