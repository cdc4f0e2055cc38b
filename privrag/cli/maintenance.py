"""``privrag pii rescrub`` and ``privrag vectors reprotect``: a tenant's stored data brought up to
its current PII policy, or moved to a new vector key version. Both are resumable jobs (over
``--url`` a job the command waits for, showing progress): rerun after a crash to finish."""

from __future__ import annotations

import typer

from privrag.cli._common import (
    DataDir,
    JsonOpt,
    OperatorKeyOpt,
    TenantOpt,
    UrlOpt,
    operator_session,
    plural,
    print_json,
    say,
    with_progress,
)

pii_app = typer.Typer(help="Stored documents and the tenant's PII policy.", no_args_is_help=True)
vectors_app = typer.Typer(help="The tenant's vector protection.", no_args_is_help=True)


@pii_app.command("rescrub")
def pii_rescrub(
    tenant: TenantOpt,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Re-scrub the tenant's stored documents with its current PII policy: run it after
    `privrag tenant pii-policy` changed what counts as PII. Each document is re-sealed,
    re-embedded and its lexical index rebuilt; provenance names the new policy digest. Documents
    already under this policy are skipped, so a rerun resumes. It cannot bring back text an
    earlier, stricter policy removed.

    Example: privrag pii rescrub --tenant acme
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        done = with_progress("re-scrubbing", lambda p: ops.rescrub(tenant, progress=p))
    if as_json:
        print_json(done)
        return
    found = ", ".join(f"{k} {v}" for k, v in sorted(done["entities"].items())) or "nothing new"
    say(
        f"{tenant}: {plural(done['rescrubbed'], 'document')} re-scrubbed "
        f"({plural(done['chunks'], 'chunk')}; found {found}), {done['unchanged']} already current"
    )


@vectors_app.command("reprotect")
def vectors_reprotect(
    tenant: TenantOpt,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Move the tenant's vectors to a new vector key version: protects a tenant stored before
    vector protection (and builds its lexical index), or rotates its vector key (the old
    version is destroyed at the end). Rerun after a crash to resume.

    Example: privrag vectors reprotect --tenant acme
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        done = with_progress("re-protecting", lambda p: ops.reprotect_vectors(tenant, progress=p))
    if as_json:
        print_json(done)
        return
    say(
        f"{tenant}: vectors now under vector key v{done['version']} "
        f"({plural(done['rewritten'], 'point')} rewritten)"
    )
