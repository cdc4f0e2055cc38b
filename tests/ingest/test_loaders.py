from __future__ import annotations

from pathlib import Path

import pytest

from privrag.errors import InvalidInput
from privrag.ingest.loaders import load_path


def test_text_and_markdown_files_are_one_document_each(tmp_path: Path) -> None:
    path = tmp_path / "My Notes.md"
    path.write_text("# Title\nbody")
    [doc] = load_path(path)
    assert doc.id == "My-Notes.md"
    assert doc.text.startswith("# Title")
    assert doc.source == str(path)


def test_jsonl_lines_carry_every_field(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        '{"id": "a", "text": "x", "source": "s", "metadata": {"k": 1}, '
        '"classification": "public", "retention_days": 3}\n\n{"id": "b", "text": "y"}\n'
    )
    a, b = load_path(path)
    assert (a.id, a.classification, a.retention_days, a.metadata) == ("a", "public", 3, {"k": 1})
    assert (b.id, b.classification) == ("b", "internal")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"  \n", "empty"),
        ("blob.txt", b"\x89PNG\x00\x01", "binary"),
        ("latin.txt", "caf\xe9".encode("latin-1"), "UTF-8"),
        ("bad.jsonl", b'{"id": "a", "text": "x"}\nnot json\n', "bad.jsonl:2"),
        ("noid.jsonl", b'{"text": "x"}\n', "required"),
        ("extra.jsonl", b'{"id": "a", "text": "x", "tenant": "other"}\n', "unknown fields"),
        ("doc.pdf", b"%PDF", "only .txt"),
    ],
)
def test_bad_files_give_a_clear_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message):
        load_path(path)


def test_a_stray_replacement_character_in_long_text_is_accepted() -> None:
    from privrag.ingest.validate import text_content

    text = "Abstract about T cells " * 20 + "\ufffd"
    assert text_content(text, what="doc", max_chars=10_000) == text
