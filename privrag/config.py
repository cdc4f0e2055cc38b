"""Settings: read from PRIVRAG_* environment variables, built by a function, passed in.

Settings refuse insecure or inconsistent values at load time (a master key of the wrong size, a
keystore or master key file inside the data dir, chunk overlap not smaller than the chunk). There
is no module level instance: call ``load_settings()`` and hand the result to ``PrivRAG``.

Key material never defaults into the data dir: a plain copy of the data dir (``cp -a``) must not
carry the keys that open it, or a deleted document comes back with the restored copy. Unset, the
keystore is ``<state>/privrag/<data-dir-id>/keys`` and a generated master key file sits beside it
(``<state>`` is ``$XDG_STATE_HOME`` or ``~/.local/state``; the id is a hash of the data dir's
absolute path, so two data dirs never share keys).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from privrag.errors import ConfigError

# beta 0.25 cost 0.006 nDCG@10 through the SciFact pipeline (bench.retrieval), over the 0.005
# target; 0.1 cuts the noise 2.5x with the same attack results (the rotation does that work).
DEFAULT_VECTOR_NOISE = 0.1


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRIVRAG_", extra="ignore", frozen=True)

    data_dir: Path = Path("./privrag-data")
    keystore_dir: Path | None = None
    master_key: SecretStr | None = None
    master_key_file: Path | None = None
    # Explicit opt-in to keep the keystore or master key file inside the data dir: then every
    # backup of the data dir carries the keys that open it, and deletion no longer survives a
    # restore. Only for throwaway data.
    allow_keys_in_data_dir: bool = False

    chunk_tokens: int = Field(default=200, ge=16, le=512)
    chunk_overlap: int = Field(default=32, ge=0, le=256)
    embed_batch_size: int = Field(default=64, ge=1, le=1024)
    embed_device: str = "cpu"
    # Queries through ONNX Runtime when its in-memory export matches PyTorch ("auto"), or always
    # through PyTorch ("torch"). Chunks are always embedded by PyTorch.
    embed_query_backend: Literal["auto", "torch"] = "auto"
    # PyTorch passes (every chunk) in bf16 autocast where the CPU has native bf16 and the probe
    # set agrees with fp32 ("auto"), on any CPU ("bf16"), or never ("fp32"). See privrag/embed.py.
    embed_precision: Literal["auto", "bf16", "fp32"] = "auto"
    # Threads numpy's BLAS may use in this process (privrag/blas.py); 0 leaves it as it is.
    blas_threads: int = Field(default=1, ge=0, le=256)
    default_retention_days: int | None = Field(default=None, ge=1)
    # The scrubber refuses more than 1,000,000 characters in one text, so this is the ceiling.
    max_document_chars: int = Field(default=1_000_000, ge=1, le=1_000_000)
    max_query_chars: int = Field(default=2_000, ge=1)
    max_k: int = Field(default=100, ge=1, le=1000)
    # Points in a shard beyond which optimize() builds the HNSW graph; below it a plain scan
    # is faster and exact.
    hnsw_threshold_points: int = Field(default=20_000, ge=1)
    # Largest segment the optimizer builds or merges (embedded shards). Compaction after a
    # deletion rebuilds only the segments that held deleted points, so this bounds its cost;
    # a query searches every segment, so much smaller costs search time at scale.
    shard_segment_points: int = Field(default=20_000, ge=1_000)
    # Embedded shards open at once in this process (privrag/store/edge_pool.py): past any of
    # these the least recently used idle shards close; a shard idle this long closes too.
    shard_max_open: int = Field(default=256, ge=1)
    shard_max_maps: int = Field(default=20_000, ge=64)
    shard_max_bytes: int = Field(default=4 << 30, ge=1 << 20)
    shard_idle_s: float = Field(default=300.0, gt=0)
    # Keyed vector protection (privrag/crypto/vectors.py): the noise approximation factor beta;
    # stored and query vectors get noise of relative radius beta/4 after the secret rotation.
    # "off" leaves dense vectors raw for new tenants and is refused unless benchmark_mode.
    vector_noise: float = Field(default=DEFAULT_VECTOR_NOISE, ge=0.0, le=2.0)
    vector_protection: Literal["on", "off"] = "on"
    benchmark_mode: bool = False
    # A single delete's vectors and sealed payloads leave the shard files within this many
    # seconds (one compaction per tenant per window); 0 compacts inside the delete.
    compact_delay_s: float = Field(default=5.0, ge=0, le=3600)

    # HTTP API (privrag/api). Limits are per process: each replica keeps its own buckets.
    operator_key: SecretStr | None = None
    api_rate_per_key: float = Field(default=20.0, gt=0)  # requests per second, refilled
    api_burst_per_key: int = Field(default=40, ge=1)
    api_rate_per_tenant: float = Field(default=50.0, gt=0)
    api_burst_per_tenant: int = Field(default=100, ge=1)
    # Failed authentications per client address: a burst, then this many per second; past it
    # every request from that address is 429 until the bucket refills (valid keys included).
    api_auth_failures_per_second: float = Field(default=1.0, gt=0)
    api_auth_failure_burst: int = Field(default=20, ge=1)
    # Slow clients: the request line and headers must arrive within this many seconds of the
    # connection (or of the previous response), the whole body within api_body_timeout_s.
    api_header_timeout_s: float = Field(default=10.0, gt=0, le=300)
    api_body_timeout_s: float = Field(default=30.0, gt=0, le=3600)
    api_keep_alive_s: int = Field(default=5, ge=1, le=300)
    api_max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    api_max_batch_documents: int = Field(default=64, ge=1)
    # Ingest is admitted by cost (characters to scrub and embed): at most this many per request,
    # a per-tenant bucket refilled at api_ingest_chars_per_second, and at most
    # api_ingest_concurrency ingests at once (api_ingest_queue more may wait up to
    # api_ingest_wait_s), so one tenant's batch cannot take every core from the others' queries.
    api_max_request_chars: int = Field(default=1_000_000, ge=1)
    api_ingest_chars_per_second: float = Field(default=50_000.0, gt=0)
    api_ingest_chars_burst: int = Field(default=2_000_000, ge=1)
    api_ingest_concurrency: int = Field(default=1, ge=1, le=64)
    api_ingest_queue: int = Field(default=4, ge=0, le=1024)
    api_ingest_wait_s: float = Field(default=30.0, ge=0, le=600)
    # Exfiltration brake: result chunks one key may receive per rolling hour.
    api_retrieval_budget_per_hour: int = Field(default=5_000, ge=1)
    # ... and all keys of one tenant together.
    api_retrieval_budget_per_tenant_hour: int = Field(default=20_000, ge=1)
    # Runtime monitoring (privrag/monitoring): per-key exfiltration signals and what a key that
    # crosses one gets: alert (audit + metric only), throttle (one request per
    # monitor_throttle_interval_s for monitor_throttle_s) or suspend (the key is revoked).
    monitor_action: Literal["alert", "throttle", "suspend"] = "throttle"
    monitor_window_s: float = Field(default=60.0, gt=0, le=3600)
    monitor_horizon_s: float = Field(default=3600.0, gt=0, le=7 * 86400)
    monitor_volume_z: float = Field(default=6.0, gt=0)
    monitor_min_volume: int = Field(default=200, ge=1)
    monitor_coverage: float = Field(default=0.25, gt=0, le=1)
    monitor_min_distinct: int = Field(default=200, ge=1)
    # A query whose best hit's cosine is below the floor is "unanchored" (tuned for the packaged
    # MiniLM; bench.monitor prints the distributions for another model).
    monitor_relevance_floor: float = Field(default=0.45, ge=-1, le=1)
    monitor_weak_share: float = Field(default=0.5, gt=0, le=1)
    monitor_weak_window: int = Field(default=50, ge=1, le=10_000)
    monitor_weak_min_queries: int = Field(default=30, ge=1)
    monitor_throttle_s: float = Field(default=900.0, ge=0)
    monitor_throttle_interval_s: float = Field(default=10.0, ge=0)
    monitor_max_keys: int = Field(default=1024, ge=1)
    monitor_max_chunks_per_key: int = Field(default=4096, ge=16)
    audit_fsync: bool = True
    # /metrics answers the operator credential or this bearer token (for a Prometheus scraper);
    # metrics_public=true opens it to anyone who can reach the port.
    metrics_token: SecretStr | None = None
    metrics_public: bool = False

    # Scale-out vector store (privrag/store/server.py): set the URL and the service talks to a
    # Qdrant server or cluster instead of the embedded shards, and takes no data-dir lock.
    # ":memory:" is qdrant-client's in-process mode (tests, demos).
    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None
    qdrant_tls_verify: bool = True
    # An API key over plain http is refused unless the host is loopback or this says the network
    # between privrag and Qdrant is private (a compose network, a mesh with mTLS).
    qdrant_plaintext_private_network: bool = False
    qdrant_ca_cert: Path | None = None
    qdrant_timeout_s: int = Field(default=10, ge=1, le=600)
    qdrant_collection_prefix: str = Field(default="privrag_", pattern=r"^[A-Za-z0-9_-]{1,32}$")
    qdrant_replication_factor: int = Field(default=1, ge=1, le=16)
    qdrant_shard_number: int = Field(default=1, ge=1, le=1024)
    qdrant_write_consistency_factor: int = Field(default=1, ge=1, le=16)
    qdrant_write_ordering: Literal["weak", "medium", "strong"] = "weak"
    # Master key in Vault (or OpenBao) Transit instead of env/file (privrag/crypto/vault.py):
    # tenant keys are wrapped by the named Transit key, which never leaves Vault.
    vault_url: str | None = None
    vault_token: SecretStr | None = None
    vault_transit_mount: str = Field(default="transit", pattern=r"^[A-Za-z0-9_/-]{1,64}$")
    vault_transit_key: str = Field(default="privrag", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    vault_namespace: str | None = None
    vault_tls_verify: bool = True
    vault_ca_cert: Path | None = None
    # > 0: the shared collection uses custom sharding with this many shard keys (cluster only).
    qdrant_shard_key_buckets: int = Field(default=0, ge=0, le=1024)
    # Catalog on a server database (privrag/catalog/): postgresql+psycopg://user@host/db; unset,
    # the catalog is SQLite at <data_dir>/catalog.db. The password comes from the URL or, better,
    # from a secret file. A remote host needs sslmode=require/verify-ca/verify-full unless the
    # network is private (as for Qdrant above).
    catalog_url: str | None = None
    catalog_password_file: Path | None = None
    catalog_plaintext_private_network: bool = False

    @model_validator(mode="after")
    def _refuse_insecure(self) -> Settings:
        if self.chunk_overlap >= self.chunk_tokens:
            raise ValueError("chunk_overlap must be smaller than chunk_tokens")
        if self.vector_protection == "off" and not self.benchmark_mode:
            raise ValueError("vector_protection=off is for benchmarks only (benchmark_mode)")
        if self.master_key is not None:
            decode_master_key(self.master_key.get_secret_value())
        if self.operator_key is not None and len(self.operator_key.get_secret_value()) < 32:
            raise ValueError("PRIVRAG_OPERATOR_KEY must be at least 32 characters")
        if self.api_ingest_chars_burst < self.api_max_request_chars:
            raise ValueError("api_ingest_chars_burst must be at least api_max_request_chars")
        if self.monitor_weak_min_queries > self.monitor_weak_window:
            raise ValueError("monitor_weak_min_queries must not exceed monitor_weak_window")
        if self.metrics_token is not None and len(self.metrics_token.get_secret_value()) < 32:
            raise ValueError("PRIVRAG_METRICS_TOKEN must be at least 32 characters")
        if self.qdrant_url is not None:
            _refuse_insecure_qdrant(self)
        if self.vault_url is not None:
            _refuse_insecure_vault(self)
        if self.catalog_url is not None:
            _refuse_insecure_catalog(self)
        _refuse_keys_in_data_dir(self)
        return self

    @property
    def state_dir(self) -> Path:
        """This data dir's folder under the per-user state dir (default keystore, master key)."""
        base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        data = self.data_dir.expanduser().resolve()
        tag = hashlib.sha256(str(data).encode()).hexdigest()[:16]
        return Path(base) / "privrag" / f"{data.name or 'root'}-{tag}"

    @property
    def resolved_keystore_dir(self) -> Path:
        return self.keystore_dir if self.keystore_dir is not None else self.state_dir / "keys"

    @property
    def resolved_master_key_file(self) -> Path:
        if self.master_key_file is not None:
            return self.master_key_file
        # Beside the default keystore, not in it: a copy of the keystore alone opens nothing.
        return self.state_dir / "master.key"

    @property
    def shards_dir(self) -> Path:
        return self.data_dir / "shards"

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.db"

    def catalog_password(self) -> str | None:
        if self.catalog_password_file is None:
            return None
        try:
            return self.catalog_password_file.read_text().strip()
        except OSError as exc:
            raise ConfigError(f"cannot read {self.catalog_password_file}") from exc

    @property
    def audit_path(self) -> Path:
        return self.data_dir / "audit" / "audit.jsonl"


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.expanduser().resolve(), folder.expanduser().resolve()
    return path == folder or folder in path.parents


def _refuse_keys_in_data_dir(settings: Settings) -> None:
    keystore = settings.resolved_keystore_dir
    for store in (settings.shards_dir, settings.catalog_path):
        if _inside(keystore, store):
            raise ValueError("keystore_dir must not live inside the data stores")
    if settings.allow_keys_in_data_dir:
        return
    hint = "a copy of the data dir would carry the keys that open it"
    if _inside(keystore, settings.data_dir):
        raise ValueError(
            f"keystore_dir must not live inside the data dir ({hint}); put it elsewhere, or set "
            "PRIVRAG_ALLOW_KEYS_IN_DATA_DIR=true for throwaway data"
        )
    from_file = settings.master_key is None and settings.vault_url is None
    if from_file and _inside(settings.resolved_master_key_file, settings.data_dir):
        raise ValueError(f"master_key_file must not live inside the data dir ({hint})")
    if settings.keystore_dir is None and (settings.data_dir / "keys").is_dir():
        raise ValueError(
            f"{settings.data_dir / 'keys'} is a keystore from an older privrag, inside the data "
            f"dir; move it out (e.g. to {settings.resolved_keystore_dir}) and set "
            "PRIVRAG_KEYSTORE_DIR to where it went"
        )


def _refuse_insecure_qdrant(settings: Settings) -> None:
    url = settings.qdrant_url or ""
    if url == ":memory:":
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("PRIVRAG_QDRANT_URL must be http(s)://host[:port] or :memory:")
    loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
    private = loopback or settings.qdrant_plaintext_private_network
    if parts.scheme == "http" and settings.qdrant_api_key is not None and not private:
        raise ValueError("PRIVRAG_QDRANT_API_KEY over plain http to a remote host; use https")
    if not settings.qdrant_tls_verify and not loopback:
        raise ValueError("PRIVRAG_QDRANT_TLS_VERIFY=false is only allowed on loopback")
    if settings.qdrant_write_consistency_factor > settings.qdrant_replication_factor:
        raise ValueError("qdrant_write_consistency_factor cannot exceed qdrant_replication_factor")


def _refuse_insecure_catalog(settings: Settings) -> None:
    url = settings.catalog_url or ""
    scheme = url.split("://", 1)[0]
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return
    if scheme not in ("postgresql", "postgresql+psycopg"):
        raise ValueError("PRIVRAG_CATALOG_URL must be postgresql+psycopg://... or sqlite:///...")
    parts = urlsplit(url)
    if not parts.hostname and "host=" not in (parts.query or ""):
        raise ValueError("PRIVRAG_CATALOG_URL needs a host")
    loopback = parts.hostname in ("localhost", "127.0.0.1", "::1") or not parts.hostname
    query = dict(p.split("=", 1) for p in (parts.query or "").split("&") if "=" in p)
    encrypted = query.get("sslmode") in ("require", "verify-ca", "verify-full")
    if not (loopback or encrypted or settings.catalog_plaintext_private_network):
        raise ValueError("PRIVRAG_CATALOG_URL to a remote host needs sslmode=require or stronger")


def _refuse_insecure_vault(settings: Settings) -> None:
    parts = urlsplit(settings.vault_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("PRIVRAG_VAULT_URL must be http(s)://host[:port]")
    loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme == "http" and not loopback:
        raise ValueError("PRIVRAG_VAULT_URL must use https unless it is on loopback")
    if not settings.vault_tls_verify and not loopback:
        raise ValueError("PRIVRAG_VAULT_TLS_VERIFY=false is only allowed on loopback")
    if settings.vault_token is None:
        raise ValueError("PRIVRAG_VAULT_URL needs PRIVRAG_VAULT_TOKEN")
    if settings.master_key is not None or settings.master_key_file is not None:
        raise ValueError("set either PRIVRAG_VAULT_URL or a master key, not both")


def decode_master_key(value: str) -> bytes:
    """Decode a base64 master key and insist on exactly 32 bytes (AES-256)."""
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("PRIVRAG_MASTER_KEY must be base64") from exc
    if len(raw) != 32:
        raise ValueError("PRIVRAG_MASTER_KEY must decode to exactly 32 bytes")
    return raw


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment plus explicit overrides; refuse bad values."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc
