"""The scrubber is built on Presidio: detections are ``RecognizerResult``s from recognizers in a
``RecognizerRegistry``, replacement goes through presidio-anonymizer operators (reversible
through its deanonymize path), and a tenant brings its own Presidio recognizers as data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from presidio_analyzer import RecognizerResult

from privrag.errors import ConfigError
from privrag.pii import KeyedHash, PiiPolicy, Scrubber
from privrag.pii.operators import restore
from privrag.pii.textmap import unmask

EMPLOYEE_IDS = {
    "name": "employee ids",
    "supported_entity": "EMPLOYEE_ID",
    "patterns": [{"name": "emp", "regex": r"\bEMP-\d{6}\b", "score": 0.9}],
}
CODENAMES = {"name": "codenames", "supported_entity": "CODENAME", "deny_list": ["Bluebird"]}


def test_detections_are_presidio_recognizer_results(scrubber: Scrubber) -> None:
    (result,) = scrubber.analyze_results("Mail ann.lee@example.com today")
    assert isinstance(result, RecognizerResult)
    assert (result.entity_type, result.start, result.end) == ("EMAIL_ADDRESS", 5, 24)


def test_provenance_names_presidio_and_the_detector_stack(scrubber: Scrubber) -> None:
    assert "presidio-analyzer=" in scrubber.version and "presidio-anonymizer=" in scrubber.version
    custom = PiiPolicy(recognizers=(str(EMPLOYEE_IDS).replace("'", '"'),))
    assert scrubber.config_digest_for(custom) != scrubber.config_digest


def test_a_tenant_brings_its_own_presidio_recognizers(scrubber: Scrubber) -> None:
    policy = PiiPolicy.from_dict({"recognizers": [EMPLOYEE_IDS, CODENAMES]})
    out = scrubber.scrub("EMP-123456 works on Bluebird with ann@example.com", policy=policy)
    assert out.text == "<EMPLOYEE_ID> works on <CODENAME> with <EMAIL_ADDRESS>"
    assert PiiPolicy.from_dict(policy.to_dict()) == policy


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "x", "supported_entity": "lower", "deny_list": ["a"]},
        {"name": "x", "supported_entity": "X_ID"},
        {"name": "x", "supported_entity": "X_ID", "patterns": [{"name": "p", "regex": "("}]},
        {"name": "x", "supported_entity": "X_ID", "deny_list": ["a"], "surprise": 1},
    ],
)
def test_a_broken_recognizer_config_is_refused_at_load(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        PiiPolicy.from_dict({"recognizers": [bad]})


def test_reversible_tokens_restore_through_presidio_deanonymize(
    scrubber: Scrubber, tenant_a: KeyedHash
) -> None:
    text = "Ask Maria Gonzalez at maria.g@example.com"
    result = scrubber.scrub(text, keyed_hash=tenant_a, policy=PiiPolicy(operator="reversible"))
    assert "maria.g@example.com" not in result.text
    assert restore(result.text, dict(result.originals)) == text


def test_only_privrag_pii_imports_presidio_or_spacy() -> None:
    root = Path(__file__).resolve().parents[2] / "privrag"
    offenders = []
    for path in root.rglob("*.py"):
        if path.is_relative_to(root / "pii"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(
                n.split(".")[0] in {"presidio_analyzer", "presidio_anonymizer", "spacy"}
                for n in names
            ):
                offenders.append(str(path))
    assert offenders == []


def test_no_pii_module_is_over_500_lines() -> None:
    root = Path(__file__).resolve().parents[2] / "privrag" / "pii"
    assert {
        p.name: n for p in root.glob("*.py") if (n := len(p.read_text().splitlines())) > 500
    } == {}


obfuscated = st.text(
    alphabet=st.sampled_from(list("ab@. [at][dot]\u200b\u200dｊｏ＠．5 \u202e\n")), max_size=60
)


@settings(max_examples=200, deadline=None)
@given(text=obfuscated)
def test_every_clean_character_maps_to_a_span_of_the_original(text: str) -> None:
    mapped = unmask(text)
    if mapped is None or not mapped.text:
        return
    for i in range(len(mapped.text)):
        start, end = mapped.original_span(i, i + 1)
        assert 0 <= start < end <= len(text)
    assert mapped.original_span(0, len(mapped.text))[1] <= len(text)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=obfuscated)
def test_scrubbing_obfuscated_text_is_idempotent(scrubber: Scrubber, text: str) -> None:
    once = scrubber.scrub(text).text
    assert scrubber.scrub(once).text == once
