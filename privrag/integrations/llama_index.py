"""LlamaIndex over a privrag server: ``PrivragRetriever`` (a LlamaIndex ``BaseRetriever``).

Each hit becomes a ``TextNode`` of scrubbed chunk text whose ``ref_doc_id`` is the document id
and whose metadata is the document's own (``include_provenance=True`` adds
``privrag_provenance``); scores are the server's cosine similarities. The server embeds.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import (
    NodeRelationship,
    NodeWithScore,
    QueryBundle,
    RelatedNodeInfo,
    TextNode,
)

from privrag.client import AsyncClient, Client
from privrag.service.results import QueryResult

PROVENANCE = "privrag_provenance"


def _nodes(
    result: QueryResult, metadata: dict[str, dict[str, Any]], provenance: bool
) -> list[NodeWithScore]:
    nodes = []
    for hit in result.hits:
        meta = dict(metadata.get(hit.doc_id, {}))
        if provenance:
            meta[PROVENANCE] = hit.provenance.to_dict()
        node = TextNode(
            id_=hit.chunk_id,
            text=hit.text,
            metadata=meta,
            relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=hit.doc_id)},
        )
        nodes.append(NodeWithScore(node=node, score=hit.score))
    return nodes


class PrivragRetriever(BaseRetriever):
    """``PrivragRetriever(url="http://127.0.0.1:8000", api_key="prk_...", k=4)``."""

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        k: int = 4,
        include_provenance: bool = False,
        **client_options: Any,
    ) -> None:
        super().__init__()
        self._url, self._key, self._options = url, api_key, client_options
        self._k = k
        self._provenance = include_provenance

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        # A connection per call: the retriever holds no open socket between calls.
        with Client(self._url, self._key, **self._options) as client:
            result = client.query(query_bundle.query_str, k=self._k)
            metadata = {d: client.get_document(d).metadata for d in {h.doc_id for h in result.hits}}
        return _nodes(result, metadata, self._provenance)

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        async with AsyncClient(self._url, self._key, **self._options) as client:
            result = await client.query(query_bundle.query_str, k=self._k)
            metadata = {}
            for doc_id in {h.doc_id for h in result.hits}:
                metadata[doc_id] = (await client.get_document(doc_id)).metadata
        return _nodes(result, metadata, self._provenance)
