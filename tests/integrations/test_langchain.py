"""LangChain's own standard suites (langchain-tests) against a live server on loopback, plus
what the suites do not cover: metadata returned as given, provenance on request."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from langchain_tests.integration_tests import (
    RetrieversIntegrationTests,
    VectorStoreIntegrationTests,
)

from privrag.integrations.langchain import PROVENANCE, PrivragRetriever, PrivragVectorStore
from tests.api.conftest import Api

_names = (f"lc{n}" for n in itertools.count())


class TestPrivragVectorStore(VectorStoreIntegrationTests):
    @pytest.fixture(autouse=True)
    def _server(self, api: Api) -> None:
        self._api = api

    @pytest.fixture
    def vectorstore(self) -> Iterator[VectorStore]:  # type: ignore[override]
        # A fresh tenant per test: an empty store that nothing else writes to.
        store = PrivragVectorStore(self._api.url, self._api.key_for(next(_names)))
        yield store
        store.close()


class TestPrivragRetriever(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _server(self, api: Api) -> None:
        key = api.key_for("retrieval")
        store = PrivragVectorStore(api.url, key)
        try:
            store.add_texts(
                [
                    "The refund for the card payment was approved.",
                    "Refunds take five working days to reach the card.",
                    "The office moves to the new building in spring.",
                    "A refund request needs the order number.",
                ]
            )
        finally:
            store.close()  # a failed set-up must not leak its socket into a later test
        self._params = {"url": api.url, "api_key": key}

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return PrivragRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return self._params

    @property
    def retriever_query_example(self) -> str:
        return "refund for a card payment"


def test_metadata_comes_back_as_given_and_provenance_on_request(api: Api) -> None:
    key = api.key_for("meta")
    plain = PrivragVectorStore(api.url, key)
    ids = plain.add_documents(
        [Document(page_content="Invoice 42 is overdue.", metadata={"team": "billing", "n": [1, 2]})]
    )
    (hit,) = plain.similarity_search("overdue invoice", k=1)
    assert hit == Document(
        page_content="Invoice 42 is overdue.", metadata={"team": "billing", "n": [1, 2]}, id=ids[0]
    )
    traced = PrivragVectorStore(api.url, key, include_provenance=True)
    (hit,) = traced.similarity_search("overdue invoice", k=1)
    assert hit.metadata["team"] == "billing" and hit.metadata[PROVENANCE]["doc_id"] == ids[0]
    assert plain.get_by_ids([ids[0], "missing"]) == [
        Document(
            page_content="Invoice 42 is overdue.",
            metadata={"team": "billing", "n": [1, 2]},
            id=ids[0],
        )
    ]
    plain.close()
    traced.close()


def test_text_comes_back_scrubbed(api: Api) -> None:
    store = PrivragVectorStore(api.url, api.key_for("pii"))
    store.add_texts(["Write to lena.fischer@example.com about the refund."], ids=["m1"])
    (hit,) = store.similarity_search("refund", k=1)
    assert (
        "lena.fischer@example.com" not in hit.page_content and "<EMAIL_ADDRESS>" in hit.page_content
    )
    store.close()
