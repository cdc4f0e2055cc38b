"""Ingestion: ``validate`` (at the edge), ``loaders`` (files to documents), ``chunking`` (pure
token windows), ``codec`` (the typed point payload; seal/open of a chunk and of a document's
metadata) and ``pipeline`` (scrub -> chunk -> embed -> seal -> upsert, journaled)."""
