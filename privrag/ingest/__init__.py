"""Ingestion: validate -> scrub -> chunk -> embed -> seal; the journaled write is the service's."""
