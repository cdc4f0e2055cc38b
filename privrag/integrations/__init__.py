"""Adapters for RAG frameworks, built on the SDK (``privrag.Client``/``AsyncClient``) only:
``langchain`` (``pip install 'privrag[langchain]'``) and ``llama_index``
(``pip install 'privrag[llama-index]'``). The server embeds and scrubs: these adapters never see
an embedding model, and text comes back scrubbed."""
