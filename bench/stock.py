"""The stock pipeline privrag is compared against: Presidio defaults (analyzer + anonymizer on
the same offline spaCy model), sentence-transformers MiniLM, qdrant-client in local mode with
plain-text payloads. No chunking, no sealing, no tenants: the "glue" baseline."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from privrag.models import Document


def stock_engines() -> tuple[Any, Any]:
    """Presidio's default analyzer and anonymizer on the same offline spaCy model privrag uses,
    with tldextract kept offline exactly as privrag keeps it."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    from privrag.pii.offline import SPACY_MODEL, configure_offline

    configure_offline()
    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
        }
    ).create_engine()
    return AnalyzerEngine(nlp_engine=nlp), AnonymizerEngine()


def stock_scrub(analyzer: Any, anonymizer: Any, text: str) -> str:
    found = analyzer.analyze(text=text, language="en")
    return str(anonymizer.anonymize(text=text, analyzer_results=found).text)


class StockPipeline:
    def __init__(self, model: Any) -> None:
        from qdrant_client import QdrantClient, models

        self.analyzer, self.anonymizer = stock_engines()
        self.model = model
        self._tmp = tempfile.TemporaryDirectory(prefix="stock-qdrant-")
        self.client = QdrantClient(path=str(Path(self._tmp.name) / "q"))
        self.models = models
        self.client.create_collection(
            "docs",
            vectors_config=models.VectorParams(
                size=model.get_embedding_dimension(), distance=models.Distance.COSINE
            ),
        )

    def scrub(self, text: str) -> str:
        return stock_scrub(self.analyzer, self.anonymizer, text)

    def ingest(self, docs: list[Document]) -> None:
        texts = [self.scrub(d.text) for d in docs]
        vectors = self.model.encode(texts, batch_size=64, normalize_embeddings=True)
        self.client.upsert(
            "docs",
            points=[
                self.models.PointStruct(
                    id=str(uuid.uuid5(uuid.NAMESPACE_URL, d.id)),
                    vector=v.tolist(),
                    payload={"doc_id": d.id, "text": t, "source": d.source},
                )
                for d, t, v in zip(docs, texts, vectors, strict=True)
            ],
        )

    def query(self, text: str, k: int = 5) -> list[Any]:
        vector = self.model.encode([self.scrub(text)], normalize_embeddings=True)[0]
        return list(self.client.query_points("docs", query=vector.tolist(), limit=k).points)

    def close(self) -> None:
        self.client.close()
        self._tmp.cleanup()
