"""The layout holds what ARCHITECTURE.md says: no import cycles (type-only and function-local
imports included), dependencies pointing one way, training on the public API only, vendors behind
their adapters, and small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("privrag", "privrag_training")
# "No module over ~500 lines": word lists are data files; code stays readable in one sitting.
MAX_LINES = 550


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = modules()


def imported(path: Path, name: str) -> set[str]:
    """Every privrag module ``path`` imports, anywhere in the file (resolved to modules)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in MODULES else base)
    return {t for t in targets if t in MODULES and t != name}


GRAPH = {name: imported(path, name) for name, path in MODULES.items()}


def test_there_is_no_import_cycle() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)


# Lower layers never import higher ones (ARCHITECTURE.md, "Dependencies point one way").
LAYERS = [
    {
        "privrag.errors",
        "privrag.models",
        "privrag.config",
        "privrag.offline",
        "privrag.digests",
        "privrag.files",
        "privrag.lock",
        "privrag.atrest",
    },
    {
        "privrag.crypto",
        "privrag.pii",
        "privrag.screening",
        "privrag.embed",
        "privrag.store",
        "privrag.catalog",
    },
    {"privrag.audit", "privrag.ingest", "privrag.retention", "privrag.runtime", "privrag.registry"},
    {"privrag.service"},
    {
        "privrag.api",
        "privrag.cli",
        "privrag.client",
        "privrag.demo",
        "privrag.monitoring",
        "privrag_training",
    },
]


def layer_of(name: str) -> int | None:
    for index, layer in enumerate(LAYERS):
        if any(name == top or name.startswith(top + ".") for top in layer):
            return index
    return None


def test_dependencies_point_one_way() -> None:
    upward = []
    for name, targets in GRAPH.items():
        mine = layer_of(name)
        for target in targets:
            theirs = layer_of(target)
            if mine is not None and theirs is not None and theirs > mine:
                upward.append(f"{name} -> {target}")
    assert upward == []


def test_training_uses_only_the_public_api() -> None:
    reached = {
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        if name.startswith("privrag_training")
        for target in targets
        if not target.startswith("privrag_training") and target not in {"privrag", "privrag.errors"}
    }
    assert reached == set()


def test_privrag_never_imports_training() -> None:
    assert [
        n
        for n, t in GRAPH.items()
        if n.startswith("privrag.") and any(x.startswith("privrag_training") for x in t)
    ] == []


@pytest.mark.parametrize(
    ("vendor", "home"),
    [
        ("qdrant_client", "privrag.store"),
        ("qdrant_edge", "privrag.store"),
        ("presidio_analyzer", "privrag.pii"),
        ("presidio_anonymizer", "privrag.pii"),
        ("spacy", "privrag.pii"),
        ("cryptography", "privrag.crypto"),
        ("fastapi", "privrag.api"),
        ("opacus", "privrag_training"),
        ("onnxruntime", "privrag.embed_onnx"),
    ],
)
def test_each_vendor_is_imported_by_its_adapter_only(vendor: str, home: str) -> None:
    outside = []
    for name, path in MODULES.items():
        if name == home or name.startswith(home + "."):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            if any(n == vendor or n.startswith(vendor + ".") for n in names):
                outside.append(name)
    assert outside == []


def test_no_module_is_longer_than_a_sitting() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
