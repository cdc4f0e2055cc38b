"""Property: under any interleaving of ingests, re-ingests and deletes across tenants, no query
ever returns another tenant's chunk, and a deleted document never comes back."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import doc

TENANTS = ("red", "blue", "green")
WORDS = ("invoice", "refund", "penguin", "contract", "holiday", "server", "salary", "badge")

ops = st.lists(
    st.tuples(
        st.sampled_from(("ingest", "ingest", "delete")),
        st.sampled_from(TENANTS),
        st.integers(0, 4),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=5),
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.slow
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(workload=ops)
def test_no_query_returns_another_tenants_chunk(open_rag, workload) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        rag = open_rag(Path(tmp) / "data")
        for name in TENANTS:
            rag.tenants.create(name)
        live: dict[str, dict[str, str]] = {name: {} for name in TENANTS}
        for op, tenant, n, words in workload:
            doc_id = f"doc-{n}"
            if op == "ingest":
                text = f"{tenant} marker {' '.join(words)}"
                rag.ingest(tenant, [doc(doc_id, text)])
                live[tenant][doc_id] = text
            elif doc_id in live[tenant]:
                rag.delete(tenant, doc_id)
                del live[tenant][doc_id]
        for tenant in TENANTS:
            for words in (WORDS[:3], WORDS[3:]):
                hits = rag.query(tenant, " ".join(words), k=20).hits
                assert {(h.doc_id, h.text) for h in hits} <= set(live[tenant].items())
                assert len(hits) == len(live[tenant])
        rag.close()
