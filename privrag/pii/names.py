"""Gazetteer name recognizer: finds people the NER model misses by their name-shaped words.

A text is cut into runs of name-shaped tokens (title-case words, initials, family particles)
separated by single spaces. A run is a name when it holds a known given name or surname (or a word
with a surname suffix such as -sson, -ová, -ić) and every other word is name-shaped and not an
English dictionary word; ``Given X. Surname`` counts even for unknown words. A lone known name
counts unless it is also an English word, a place, or an eponym, and unless the next word makes it
a street, firm or product ("Wayne Enterprises", "Jackson Street"). All-lower-case texts are only
searched for known given names. Scores stay under the street-address score so an address that
contains a name ("Jana Nerudy 894") wins the overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from privrag.pii.name_data import (
    AMBIGUOUS,
    EPONYMS,
    GIVEN_NAMES,
    PARTICLES,
    PLACES,
    SURNAMES,
    word_set,
)
from privrag.pii.patterns import Candidate

PAIR_SCORE = 0.75
SINGLE_SCORE = 0.65
SHAPE_SCORE = 0.7

# Words, with inner apostrophes and hyphens ("O'Connor", "Garcia-Lopez"), and a trailing period
# for initials; the look-arounds keep tokens out of identifiers ("Lin28", "user_name").
_TOKEN = re.compile(
    r"(?<![\w@/.<=:#$%&+~-])[^\W\d_]+(?:(?:['’](?![sS]\b)|-)[^\W\d_]+)*\.?"
    # "Alexander: hi" is a speaker label, "key:value" and "http://" are not names.
    r"(?![\w@/<>=#$%&+~]|:[^\s\"'])"
)
_SAME_LINE_GAP = re.compile(r"^[ \t]{1,3}$")
_SURNAME_SUFFIX = re.compile(
    r"(?:dóttir|dottir|sson|sen|ová|ova|ovа|eva|ski|ska|sky|cki|cka|wicz|icz|vić|vič|ić|ič"
    r"|enko|chuk|czyk|poulos|opoulou|akis|idis|escu|ainen|äinen|inen|oglu|oğlu|zadeh|ström"
    r"|qvist|kvist|gren|berg|mann|stein|elli|etti|ucci|ez|ov|ev|yev|iev)$"
)
# Suffixes short enough to end ordinary words: the word must also not be an English word.
_WEAK_SUFFIX = re.compile(r"(?:ez|berg|mann|stein)$")

# A word right after a known name that makes the pair a street, firm, product or thing.
_NEXT_BLOCKERS = word_set(
    """
    street st road rd avenue ave lane ln drive dr boulevard blvd way place square court close
    terrace park gardens hill bridge station airport hall house tower building centre center
    inc ltd llc plc gmbh ag corp corporation company co group holdings bank university
    college institute school hospital clinic foundation association society partners
    consulting solutions systems services technologies labs studio agency ministry council
    department office club fund trust capital media press enterprises industries traders
    trading logistics analytics storage payroll helpdesk gateway crm erp hr bi api cloud
    software networks energy pharma motors airlines insurance realty foods retail store shop
    market markets bakery cafe restaurant hotel resort report award prize prize-winning
    syndrome disease disorder test tests theorem equation law effect criteria scale score
    method model distribution index correlation regression cells cell sarcoma lymphoma
    curve plot blot stain reaction transform series number numbers bay river lake island
    mountain mountains valley county state city province region weekly daily times post
    journal review magazine news records music pictures films productions entertainment
    sons brothers bros daughters associates lines
    """
)
# Words that look like names in title case but never start or join one.
_STOP = word_set(
    """
    the a an and or of in on at to for from by with without into onto about over under
    this that these those my your his her our their its we you they he she it i me us them
    mr mrs ms miss mx dr prof sir madam dear hi hello hey thanks thank regards best cheers
    is are was were be been am has have had do does did will would can could should may might
    must shall not no yes ok okay please new old mon tue wed thu fri sat sun
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    hallo bonjour hola ciao hej moi salut servus buongiorno buenos olá oi
    """
)


_FUNCTION_WORDS = word_set(
    """
    this these those there then than thus although though during since among from with when
    where while which who whom whose what why how because before after between within without
    unless until upon whether both either neither each every some any many most more much
    several such other another here also only even just however therefore moreover furthermore
    nevertheless nonetheless instead rather yet still overall finally first second third
    further together around across against along amongst beyond despite except inside outside
    toward towards via per versus vs
    """
)


# Departments and roles that follow a name on a signature line or in a sentence.
_ROLES = word_set(
    """
    engineering marketing operations facilities procurement finance legal sales support
    success accounting purchasing research development design product management security
    compliance logistics admin administration team staff office desk manager director
    engineer developer analyst consultant assistant lead head chief officer customer client
    """
)
_CONTRACTION = re.compile(r"['’](?:m|d|ll|ve|re|t)$|^(?:it|that|what|let|there|here)['’]")


def _title_case(word: str) -> bool:
    return word[0].isupper() and any(ch.islower() for ch in word[1:])


def _initial(word: str) -> bool:
    return (len(word) == 1 or (len(word) == 2 and word[1] == ".")) and word[0].isupper()


def _is_known(low: str) -> bool:
    return low in GIVEN_NAMES or low in SURNAMES


def _surname_shape(low: str, common: frozenset[str]) -> bool:
    if len(low) < 5 or low in common or low in EPONYMS or low in PLACES:
        return False
    match = _SURNAME_SUFFIX.search(low)
    if match is None:
        return False
    # "-es", "-in", "-berg" end plenty of non-names: only long, non-English words qualify.
    return not _WEAK_SUFFIX.search(low) or len(low) >= 7


def _kind(word: str, common: frozenset[str], lower_mode: bool) -> str:
    """'strong', 'weak' (a name that is also a word or place), 'shape' (an unknown name-shaped
    word), 'initial', 'particle' or 'stop'."""
    bare = word.rstrip(".")
    low = bare.casefold()
    if not lower_mode and _initial(word) and word != "I":
        return "initial"
    if low in _STOP or _CONTRACTION.search(low):
        return "stop"
    if low in PARTICLES and (word.islower() or lower_mode):
        return "particle"
    if lower_mode:
        if low in GIVEN_NAMES and low not in AMBIGUOUS and low not in PLACES:
            return "strong"
        if len(low) == 1:
            return "initial"
        if len(low) >= 3 and low not in common and low not in _NEXT_BLOCKERS:
            return "shape"
        return "stop"
    if not _title_case(bare):
        return "stop"
    if low in _NEXT_BLOCKERS:
        return "stop"
    if _is_known(low):
        if low in AMBIGUOUS or low in PLACES or low in EPONYMS:
            return "weak"
        return "strong"
    if _surname_shape(low, common):
        return "strong"
    if low in PLACES:
        return "weak"  # "Marta Palermo": a place name can be a surname next to a given name
    if low in EPONYMS or len(low) < 2:
        return "stop"
    # WordNet lists people too ("Montez"): a dictionary word may still be a surname, but only
    # next to a middle initial and a known name does it count as one.
    return "word" if low in common else "shape"


def _runs(text: str, lower_mode: bool) -> Iterator[list[re.Match[str]]]:
    run: list[re.Match[str]] = []
    for match in _TOKEN.finditer(text):
        if run and not _SAME_LINE_GAP.match(text[run[-1].end() : match.start()]):
            yield run
            run = []
        last = run[-1].group() if run else ""
        if last.endswith(".") and not (_initial(last) or (lower_mode and len(last) == 2)):
            yield run
            run = []
        run.append(match)
    if run:
        yield run


def _accept(kinds: list[str], words: list[str]) -> float | None:
    """The score of a person made of these words, or None."""
    names = [k for k in kinds if k in {"strong", "weak", "shape", "word"}]
    if not names or len(names) > 4 or kinds[-1] in {"particle", "initial"}:
        return None
    if kinds[0] == "particle":
        return None
    lowered = [w.rstrip(".").casefold() for w in words]
    if kinds == ["strong", "word"] and lowered[0] in GIVEN_NAMES and lowered[1] not in _ROLES:
        return PAIR_SCORE - 0.1  # "Marta Palermo": WordNet knows many surnames as nouns
    if "word" in kinds:
        # "Ruth R Montez": Given, middle initial, dictionary word.
        middle_initial = "initial" in kinds[1:-1]
        known = any(k in {"strong", "weak"} for k in kinds)
        if middle_initial and known and kinds.count("word") == 1 and kinds[0] != "initial":
            return SHAPE_SCORE
        return None
    if len(names) == 1:
        if kinds[0] == "initial" and words[0].endswith(".") and kinds[-1] == "strong":
            return PAIR_SCORE if len(kinds) <= 3 else None  # "J. Okafor"
        return SINGLE_SCORE if kinds == ["strong"] and len(words[0].rstrip(".")) >= 3 else None
    if "strong" in names:
        return PAIR_SCORE
    if (
        len(names) == 2
        and kinds[0] == "weak"
        and lowered[0] in GIVEN_NAMES
        and (lowered[-1] in SURNAMES or (kinds[-1] == "shape" and lowered[0] not in PLACES))
    ):
        return PAIR_SCORE - 0.05  # "Grace Lang", "Mark Lee"
    if "initial" in kinds[1:-1] and kinds[0] != "initial":
        return SHAPE_SCORE  # "Mijail C Adomo": the middle initial is what makes it a name
    return None


_LIST_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ſ][^\W\d_]+(?:['’-][^\W\d_]+)*"
# "Kónya, Becker and Vasquez", "Dale and White": one known name vouches for its list mates.
_NAME_LIST = re.compile(
    rf"(?<![\w-]){_LIST_WORD}(?:,[ \t]+{_LIST_WORD})*,?[ \t]+(?:and|or|&|und|et|y|e|og|och|en)"
    rf"[ \t]+{_LIST_WORD}(?![\w-])"
)
_LIST_ITEM = re.compile(_LIST_WORD)


def _name_lists(text: str, common: frozenset[str]) -> Iterator[Candidate]:
    for match in _NAME_LIST.finditer(text):
        items = list(_LIST_ITEM.finditer(match.group()))
        kinds = [_kind(m.group(), common, False) for m in items]
        if "strong" in kinds and all(k in {"strong", "weak", "shape"} for k in kinds):
            for m in items:
                start = match.start() + m.start()
                yield Candidate("PERSON", start, start + len(m.group()), SINGLE_SCORE, "name-list")


def find_gazetteer_names(text: str, common: frozenset[str]) -> Iterator[Candidate]:
    lower_mode = not any(ch.isupper() for ch in text)
    if not lower_mode:
        yield from _name_lists(text, common)
    for run in _runs(text, lower_mode):
        words = [m.group() for m in run]
        kinds = [_kind(w, common, lower_mode) for w in words]
        # Split the run at stop words and try each piece.
        start = 0
        for i in range(len(run) + 1):
            if i < len(run) and kinds[i] != "stop":
                continue
            if i > start:
                yield from _piece(text, run[start:i], kinds[start:i], words[start:i], lower_mode)
            start = i + 1


def _piece(
    text: str,
    run: list[re.Match[str]],
    kinds: list[str],
    words: list[str],
    lower_mode: bool,
) -> Iterator[Candidate]:
    # Drop leading particles and trailing particles/initials ("de", "van", "J.").
    while kinds and kinds[0] == "particle":
        run, kinds, words = run[1:], kinds[1:], words[1:]
    while kinds and kinds[-1] in {"particle", "initial"}:
        run, kinds, words = run[:-1], kinds[:-1], words[:-1]
    if not kinds:
        return
    if lower_mode:
        # Lower-case text: only a known given name, optionally followed by a surname-ish word.
        if kinds[0] != "strong" or len(kinds) > 3:
            if kinds.count("strong") == 0:
                return
            first = kinds.index("strong")
            run, kinds, words = run[first:], kinds[first:], words[first:]
        kinds = kinds[:3]
        run = run[: len(kinds)]
    score = _accept(kinds, words)
    if score is None and "word" in kinds:
        start = 0
        for i in range(len(kinds) + 1):
            if i < len(kinds) and kinds[i] != "word":
                continue
            if i > start:
                yield from _piece(text, run[start:i], kinds[start:i], words[start:i], lower_mode)
            start = i + 1
        return
    if score is None:
        # A long run may hold a name next to other capitalised words: try known names alone.
        for m, kind in zip(run, kinds, strict=True):
            if kind == "strong" and len(run) > 1 and not lower_mode and _lone_ok(text, m):
                yield Candidate("PERSON", m.start(), m.end(), SINGLE_SCORE - 0.05, "gazetteer")
        return
    if len(kinds) == 1 and not _lone_ok(text, run[0]):
        return
    end = run[-1].end()
    if text[end - 1] == "." and not _initial(words[-1]):
        end -= 1
    yield Candidate("PERSON", run[0].start(), end, score, "gazetteer")


_AFTER_WORD = re.compile(r"[ \t]*([^\W\d_][\w'’-]*)")


def _lone_ok(text: str, match: re.Match[str]) -> bool:
    """A lone known name is not part of a compound, a street, a firm or an eponym."""
    before = text[max(0, match.start() - 1) : match.start()]
    after = text[match.end() : match.end() + 1]
    if before in {"-", "/", "_"} or after in {"-", "/", "_"}:
        return False
    nxt = _AFTER_WORD.match(text, match.end())
    if nxt is not None:
        word = nxt.group(1).casefold()
        if word in _NEXT_BLOCKERS or word.rstrip("s") in _NEXT_BLOCKERS:
            return False
    tail = text[match.end() : match.end() + 12].casefold()
    return not tail.startswith(("'s disease", "’s disease", "'s syndrome", "’s syndrome"))


# Sentences (or lines) for the NER pass; a name never spans a sentence end or a line break.
_SENTENCE = re.compile(r"[^\n.!?]*(?:[.!?]+|\n|$)")
# Title-case words, including "McAllister", "O'Connor", "Garcia-Lopez"; not "HeLa" or "CsA".
_TITLE_WORD = re.compile(
    r"(?<![\w-])[A-ZÀ-ÖØ-ÞĀ-ſ](?:[a-zß-öø-ÿā-ſ]+|c[A-Z][a-z]+)"
    r"(?:['’-][A-Za-zÀ-ÿ][a-zß-öø-ÿ]+)*(?![\w-])"
)
_INFLECTION = re.compile(r"(?:ing|ed|es|s|ly)$")


def _dictionary_word(low: str, common: frozenset[str]) -> bool:
    if low in common or low in _STOP or low in _FUNCTION_WORDS:
        return True
    stem = _INFLECTION.sub("", low)
    if stem != low and (stem in common or stem + "e" in common or stem + "y" in common):
        return True
    parts = re.split(r"[-'’]", low)
    return len(parts) > 1 and all(p in common or len(p) < 3 for p in parts)


def may_name_person(sentence: str, common: frozenset[str]) -> bool:
    """Whether a sentence holds a word that could be (part of) a name: a known name, or a
    title-case word of 4+ letters that is not an English dictionary or function word. Sentences
    without one are not worth the NER model's time."""
    for match in _TITLE_WORD.finditer(sentence):
        low = match.group().casefold()
        if _is_known(low) or low in AMBIGUOUS:
            return True
        if len(low) >= 4 and not _dictionary_word(low, common):
            return True
    return False


def ner_segments(text: str, common: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of the sentences of a text that ``may_name_person``; adjacent ones merged."""
    spans: list[tuple[int, int]] = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        if end > start and may_name_person(match.group(), common):
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans
