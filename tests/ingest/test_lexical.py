"""The lexical index's tokenizer and BM25 weights: pure functions over scrubbed text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from privrag.crypto import TermHasher
from privrag.crypto.aead import new_key
from privrag.ingest.lexical import STOP_WORDS, Bm25, terms


def test_placeholders_pseudonyms_and_stop_words_are_never_terms() -> None:
    text = "Call <PERSON> or <EMAIL_ADDRESS_1a2b3c4d> about the refund of <US_SSN>."
    assert terms(text) == ["call", "refund"]


def test_case_unicode_form_and_plurals_fold_to_one_term() -> None:
    assert terms("Proteins") == terms("protein") == terms("PROTEIN")
    assert terms("ﬁbroblasts") == terms("fibroblast")  # NFKC folds the ligature
    assert terms("studies") == terms("study")
    assert terms("IL-6 levels") == ["il", "level"]


def test_numbers_stay_and_single_characters_go() -> None:
    assert terms("a 5 mg dose in 2019") == ["mg", "dose", "2019"]


@given(st.text(max_size=200))
def test_terms_are_never_stop_words_or_placeholders(text: str) -> None:
    for term in terms(text):
        assert term not in STOP_WORDS and "<" not in term and 2 <= len(term) <= 40


def test_document_weights_saturate_with_term_frequency_and_shrink_with_length() -> None:
    ids = TermHasher(new_key())
    bm25 = Bm25()
    once = bm25.document("insulin resistance", ids)
    many = bm25.document("insulin " * 20 + "resistance", ids)
    weight = dict(zip(once.indices, once.values, strict=True))[ids("insulin")]
    heavy = dict(zip(many.indices, many.values, strict=True))[ids("insulin")]
    assert weight < heavy < bm25.k1 + 1
    long = bm25.document("insulin " + "cohort " * 300, ids)
    assert dict(zip(long.indices, long.values, strict=True))[ids("insulin")] < weight


def test_vectors_are_sorted_and_distinct_and_queries_weigh_terms_once() -> None:
    ids = TermHasher(new_key())
    vec = Bm25().document("beta cells beta cells insulin", ids)
    assert list(vec.indices) == sorted(set(vec.indices)) and len(vec.indices) == 3
    query = Bm25.query("insulin insulin beta", ids)
    assert sorted(query.values) == [1.0, 1.0]
