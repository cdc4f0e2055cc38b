"""The LlamaIndex retriever against a live server: scrubbed nodes, document metadata, scores."""

from __future__ import annotations

import asyncio

import privrag
from privrag.integrations.llama_index import PROVENANCE, PrivragRetriever
from tests.api.conftest import Api


def test_retrieves_scrubbed_nodes_with_the_documents_metadata(api: Api) -> None:
    key = api.key_for("llama")
    with privrag.Client(api.url, key) as client:
        client.ingest(
            [
                privrag.Document(
                    id="r1",
                    text="Refund approved for jan.novak@example.com.",
                    metadata={"team": "billing"},
                ),
                privrag.Document(id="r2", text="The office moves in spring."),
            ]
        )
    retriever = PrivragRetriever(api.url, key, k=1, include_provenance=True)
    (found,) = retriever.retrieve("refund")
    assert found.node.ref_doc_id == "r1" and found.score is not None
    assert "jan.novak@example.com" not in found.node.get_content()
    assert found.node.metadata["team"] == "billing"
    assert found.node.metadata[PROVENANCE]["doc_id"] == "r1"
    (again,) = asyncio.run(retriever.aretrieve("refund"))
    assert again.node.node_id == found.node.node_id
