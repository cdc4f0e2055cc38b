"""The gazetteer name recognizer finds people by their given names and surnames, and leaves
places, firms, products, eponyms and gene names alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from privrag.pii.ner import may_name_person
from privrag.pii.offline import load_common_words

Detect = Callable[[str], list[tuple[str, str]]]


@pytest.fixture(scope="module")
def common() -> frozenset[str]:
    return load_common_words()


def _people(detected: Detect, text: str) -> list[str]:
    return [value for kind, value in detected(text) if kind == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("They had three kids: Mary, Isabel and Teresa.", "Isabel"),
        ("Please change it to Sofia Lima", "Sofia Lima"),
        ("Mohmad R. Vizirov will be talking at the conference", "Mohmad R. Vizirov"),
        ("Name:    Abby M. Laidlaw\nAddress: unknown", "Abby M. Laidlaw"),
        ("My name is Ruth R Montez.", "Ruth R Montez"),
        ("Mijail C Adomo joined the board", "Mijail C Adomo"),
        ("The report was written by Katarzyna Wiśniewska last week.", "Katarzyna Wiśniewska"),
        ("Ask Guðrún Sigurðardóttir about the contract.", "Guðrún Sigurðardóttir"),
        ("Forward it to Willem van der Berg tomorrow.", "Willem van der Berg"),
        ("Thanks to Nguyen Van Minh for the review", "Nguyen Van Minh"),
        ("Assigned to Lea from Contoso Ltd.", "Lea"),
        ("follow up with patricia desrosiers in a couple of months.", "patricia desrosiers"),
        ("the founders were donna, andrea and brian.", "andrea"),
        (">Alberico Rizzo\n>Sales", "Alberico Rizzo"),
        ('Alexander: "Who are you?"', "Alexander"),  # a speaker label
        ("Our founders: Kónya, Becker and Vasquez.", "Kónya"),  # a list vouched for by a name
        (">Marta Palermo\n>Cityscan", "Marta Palermo"),  # a surname that is also a place
        ("the verses from eric g. samoylova's tales", "eric g. samoylova"),
    ],
)
def test_finds_names_by_gazetteer(detected: Detect, text: str, name: str) -> None:
    assert name in _people(detected, text)


@pytest.mark.parametrize(
    "text",
    [
        "Wayne Enterprises opened an office in Austin.",  # a given name in a firm, a city
        "The Vega Helpdesk and Atlas CRM were migrated.",  # a surname in a product
        "Send it to Jackson Street before Friday.",  # a surname in a street name
        "Kaplan-Meier curves and Cox regression were used.",  # eponyms
        "Patients with Parkinson's disease were enrolled.",
        "Expression of c-Jun, Max and Lin28 rose in HeLa cells.",  # gene names
        "Vitamin D Receptor and Hepatitis B Virus levels were measured.",
        "Decreases in Serotypes were seen across Studies.",  # plural nouns
        "We flew from Paris to Sofia and then to Lima.",  # places that are also names
        "please call me when you're here.",  # lower-case text without names
        "The Customer Success team in Berlin will call back.",
        "We toured Paris, London and Berlin.",  # a list without a known name
        "key:value pairs and http://Maria.example are config",
    ],
)
def test_places_firms_eponyms_and_words_are_not_people(detected: Detect, text: str) -> None:
    assert _people(detected, text) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Ubul is very reliable.",  # an unknown name: not a dictionary word
        "They had six: Mary, Isabel and Teresa.",  # known names
        "Contact Mr. Brown tomorrow.",  # a name that is also a word, but a known surname
    ],
)
def test_sentences_that_may_name_someone_go_to_ner(common: frozenset[str], sentence: str) -> None:
    assert may_name_person(sentence, common)


@pytest.mark.parametrize(
    "sentence",
    [
        "These results were compared during the Western blot analysis.",
        "Expression of BRCA1 and TP53 was measured in HeLa cells.",
        "the invoice was paid on time",
    ],
)
def test_sentences_without_name_words_skip_ner(common: frozenset[str], sentence: str) -> None:
    assert not may_name_person(sentence, common)


def test_ner_only_sees_sentences_that_may_name_someone(detected: Detect) -> None:
    """Skipping plain sentences must not lose a name the model finds in another one."""
    text = "These results were compared in a cohort.\nThe study was led by Ubul Csonka in 2019."
    assert "Ubul Csonka" in _people(detected, text)


def test_a_department_after_a_name_is_not_part_of_it(detected: Detect) -> None:
    assert _people(detected, "Thanks Anna Engineering will call") == ["Anna"]
