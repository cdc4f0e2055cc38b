"""The service: ``PrivRAG``, the one facade, and the parts it hands the private runtime to.

```
facade.py     PrivRAG: resolves the tenant, delegates; what the API, CLI and training call
tenants.py    create, list, suspend; retention, PII policy and hold settings
documents.py  metadata, reveal, training records, delete, hold
retrieval.py  query: scrub, embed, search, open
erasure.py    sweeps, erasure by subject, two-operator offboarding
compaction.py deleted points leave the shard files within a bounded delay
jobs.py       long operations over HTTP as pollable jobs (in memory; safe to rerun)
results.py    QueryResult, DocumentInfo, SweepResult
```
Ingest lives in ``privrag.ingest.pipeline``, the model registry in ``privrag.registry``; both
receive the same ``privrag.runtime.Runtime``.
"""

from privrag.service.facade import PrivRAG
from privrag.service.results import DocumentInfo, QueryResult, SweepResult

__all__ = ["DocumentInfo", "PrivRAG", "QueryResult", "SweepResult"]
