"""The embedder: concurrent small requests share forward passes and each gets its own rows;
queries run through ONNX Runtime once warmed, and only when its export reproduces PyTorch's
vectors; a server warms its embedder at start."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from privrag.embed import Embedder
from privrag.embed_onnx import MIN_COSINE, PROBES, OnnxEncoder

CALLERS = 8
# Not the probe set the export is accepted on: other lengths, scripts and shapes.
QUERIES = [
    "When does payroll close?",
    "Quetiapine dosing for the oncology ward after the audit, and who reviewed it",
    "Ünïcödé ‹quotes› — ಕನ್ನಡ العربية 日本語のテキスト",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z " * 30,
    "?",
    "SELECT * FROM invoices WHERE amount > 1200 AND status = 'open';",
]


@pytest.mark.parametrize("call", ["embed", "embed_query"])
def test_concurrent_requests_share_forward_passes_and_get_their_own_vectors(  # type: ignore[no-untyped-def]
    embedder, call: str
) -> None:
    texts = [f"refund for order {n} has not arrived after {n + 2} days" for n in range(CALLERS)]
    run = embedder.embed_query if call == "embed_query" else lambda t: embedder.embed([t])[0]
    batcher = embedder._query_batcher if call == "embed_query" else embedder._batcher
    alone = [run(t) for t in texts]
    got: dict[int, np.ndarray] = {}
    start = threading.Barrier(CALLERS)
    before = batcher.passes

    def one(n: int) -> None:
        start.wait()
        got[n] = run(texts[n])

    threads = [threading.Thread(target=one, args=(n,)) for n in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert batcher.passes - before < CALLERS
    for n in range(CALLERS):
        assert float(np.dot(got[n], alone[n])) > 0.99999, n


def test_queries_run_on_onnx_runtime_once_warmed_and_match_pytorch(embedder) -> None:  # type: ignore[no-untyped-def]
    embedder.warm_queries(wait=True)
    queries = [embedder.embed_query(q) for q in QUERIES]
    assert embedder.query_runtime.startswith("onnxruntime ")
    reference = embedder.embed(QUERIES)
    cosines = [float(np.dot(q, r)) for q, r in zip(queries, reference, strict=True)]
    assert min(cosines) >= MIN_COSINE, cosines
    assert all(abs(float(np.linalg.norm(q)) - 1.0) < 1e-4 for q in queries)
    # Its threads stop spinning at the end of each run, leaving the cores to the request.
    options = embedder._query_encoder._session.get_session_options()
    assert options.get_session_config_entry("session.force_spinning_stop") == "1"


def test_the_torch_setting_keeps_queries_on_pytorch(embedder) -> None:  # type: ignore[no-untyped-def]
    plain = Embedder(query_backend="torch")
    plain.warm_queries(wait=True)
    vector = plain.embed_query(QUERIES[1])
    assert plain.query_runtime.startswith("torch ")
    assert float(np.dot(vector, embedder.embed([QUERIES[1]])[0])) > 0.999999


def test_an_export_that_does_not_reproduce_pytorch_is_not_used(embedder) -> None:  # type: ignore[no-untyped-def]
    """The acceptance check can fail: against a reference that is not this model's, it does."""
    other = np.random.default_rng(0).standard_normal((5, embedder.dim)).astype(np.float32)
    other /= np.linalg.norm(other, axis=1, keepdims=True)
    encoder, why = OnnxEncoder.build(embedder.model, lambda texts: other[: len(texts)], threads=1)
    assert encoder is None
    assert "below" in why


def test_an_unknown_query_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="query_backend"):
        Embedder(query_backend="tensorrt")
    with pytest.raises(ValueError, match="precision"):
        Embedder(precision="int8")


# Chunk-length texts that are not the probe set: prose, lists, code, other scripts.
CHUNKS = [
    "Refunds are issued to the original card within five business days of the return being "
    "received at the warehouse; store credit is offered where the card has expired. " * 3,
    "Figure 3 shows that knockdown of the receptor reduced tumour growth by 40% (p < 0.01) in "
    "both cohorts, with no change in body weight over the 28-day course.",
    "def settle(batch):\n    for row in batch:\n        ledger.post(row.account, row.amount)\n",
    "Die Lieferung wurde am Montag zugestellt; la facture suit par courrier. 配送は月曜日です。",
    *QUERIES,
]


def test_bf16_chunks_match_float32_to_the_acceptance_cosine() -> None:
    """On any CPU: "bf16" rounds as native bf16 hardware does (emulated where it is missing)."""
    fast, exact = Embedder(precision="bf16"), Embedder(precision="fp32")
    assert (fast.precision, exact.precision) == ("bf16", "fp32")
    assert fast.provenance()["embedding_precision"] == "bf16"
    assert fast.provenance()["embedding_digest"] == exact.provenance()["embedding_digest"]
    cosines = np.sum(fast.embed(CHUNKS) * exact.embed(CHUNKS), axis=1)
    assert float(cosines.min()) >= MIN_COSINE, cosines
    assert not np.array_equal(fast.embed(CHUNKS[:1]), exact.embed(CHUNKS[:1]))
    assert fast.query_runtime.endswith(" bf16") and exact.query_runtime.endswith(" fp32")


def test_auto_precision_follows_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    import privrag.embed as embed

    monkeypatch.setattr(embed, "native_bf16", lambda: False)
    assert Embedder().precision == "fp32"
    monkeypatch.setattr(embed, "native_bf16", lambda: True)
    assert Embedder().precision == "bf16"


def test_bf16_that_does_not_reproduce_float32_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe check can fail: against a bar no bf16 pass reaches, chunks stay in fp32."""
    import privrag.embed as embed

    monkeypatch.setattr(embed, "MIN_COSINE", 1.0 + 1e-6)
    embedder = Embedder(precision="bf16")
    assert embedder.precision == "fp32"
    assert "below" in embedder.precision_note
    assert np.array_equal(embedder.embed(CHUNKS[:2]), Embedder(precision="fp32").embed(CHUNKS[:2]))


def test_a_server_warms_query_embedding_at_start(tmp_path, master_key: str) -> None:  # type: ignore[no-untyped-def]
    import time

    from privrag.api import create_app
    from privrag.api.server import BackgroundServer
    from privrag.config import load_settings

    settings = load_settings(
        data_dir=tmp_path / "data",
        keystore_dir=tmp_path / "keys",
        master_key=master_key,
        audit_fsync=False,
    )
    app = create_app(settings)
    server = BackgroundServer(app).start()
    try:
        rag = app.state.gateway.rag
        deadline = time.monotonic() + 120
        while not rag.embedder.query_runtime.startswith("onnxruntime"):
            assert time.monotonic() < deadline, rag.embedder.query_runtime
            time.sleep(0.2)
    finally:
        server.stop()


def test_passes_beside_an_onnx_export_wait_for_it_and_come_out_unchanged() -> None:
    """The exporter sets process-wide state while it traces: a pass beside it came out at cosine
    0.996-0.998 to the same pass alone (a padded batch; in 2 of 3 exports without the lock).
    Passes now wait for the export."""
    embedder = Embedder(precision="fp32")
    texts = [PROBES[0], PROBES[1], PROBES[3], PROBES[4]]
    quiet = embedder.embed(texts)
    worst, passes, stop = [1.0], [0], threading.Event()

    def loop() -> None:
        while not stop.is_set():
            cosines = np.sum(embedder.embed(texts) * quiet, axis=1)
            worst[0] = min(worst[0], float(cosines.min()))
            passes[0] += 1

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        for _ in range(3):
            encoder, why = OnnxEncoder.build(embedder.model, embedder.embed, threads=1)
            assert encoder is not None, why
    finally:
        stop.set()
        thread.join()
    assert passes[0] >= 3
    assert worst[0] > 0.99999, worst
