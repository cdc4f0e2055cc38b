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

from privrag.pii.detectors import Candidate
from privrag.pii.scripts import LETTER, caseless_word
from privrag.pii.wordlists import words

GIVEN_NAMES = words("given_names")
SURNAMES = words("surnames")
AMBIGUOUS = words("ambiguous_names")
PLACES = words("places")
EPONYMS = words("eponyms")
PARTICLES = words("particles")

PAIR_SCORE = 0.75
SINGLE_SCORE = 0.65
SHAPE_SCORE = 0.7

# Words, with inner apostrophes and hyphens ("O'Connor", "Garcia-Lopez"), and a trailing period
# for initials; the look-arounds keep tokens out of identifiers ("Lin28", "user_name").
_TOKEN = re.compile(
    rf"(?<![\w@/.<=:#$%&+~-])[^\W\d_]{LETTER}*(?:(?:['’](?![sS]\b)|-)[^\W\d_]{LETTER}*)*\.?"
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
_NEXT_BLOCKERS = words("next_blockers")
# Words that look like names in title case but never start or join one.
STOP_WORDS = words("stop_words")


FUNCTION_WORDS = words("function_words")


# Departments and roles that follow a name on a signature line or in a sentence.
_ROLES = words("roles")
_CONTRACTION = re.compile(r"['’](?:m|d|ll|ve|re|t)$|^(?:it|that|what|let|there|here)['’]")


def title_case(word: str) -> bool:
    """ "Kukal", or a word of a script that writes no capitals ("ლენა", "رها"), which reads as
    title case wherever a Latin-script name would be capitalised."""
    return (word[0].isupper() and any(ch.islower() for ch in word[1:])) or caseless_word(word)


def _initial(word: str) -> bool:
    return (len(word) == 1 or (len(word) == 2 and word[1] == ".")) and word[0].isupper()


def is_known(low: str) -> bool:
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
    if low in STOP_WORDS or _CONTRACTION.search(low):
        return "stop"
    # "Ó" in "Lynn Ó Diothcháin" is a particle; "Mac" or "De" in title case may be a name.
    if low in PARTICLES and (word.islower() or lower_mode or not title_case(bare)):
        return "particle"
    if lower_mode:
        if low in GIVEN_NAMES and low not in AMBIGUOUS and low not in PLACES:
            return "strong"
        if len(low) == 1:
            return "initial"
        if len(low) >= 3 and low not in common and low not in _NEXT_BLOCKERS:
            return "shape"
        return "stop"
    if not title_case(bare):
        return "stop"
    if low in _NEXT_BLOCKERS:
        return "stop"
    if is_known(low):
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


def _shape_name(
    text: str, run: list[re.Match[str]], kinds: list[str], common: frozenset[str]
) -> bool:
    """ "Stojan Kukal", "Gyda Vesterlund": two or three title-case words that are not English
    words (in any inflection), stop words, places or firm words are a name whatever list they
    are missing from, except on a Title Case line (a heading or paper title)."""
    words = [m.group().rstrip(".") for m in run]
    return (
        2 <= len(kinds) <= 3
        and all(k == "shape" for k in kinds)
        and any(not w.isascii() or len(w) >= 4 for w in words)
        and not any("-" in w or _inflected_word(w.casefold(), common) for w in words)
        and not _headline(text, run[0].start())
    )


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


_INFLECTION = re.compile(r"(?:ing|ed|es|s|ly|al|ic|ous|ive|ity|ion|ions)$")
_LONG_WORD = re.compile(rf"[^\W\d_]{LETTER}{{3,}}")


def _inflected_word(low: str, common: frozenset[str]) -> bool:
    """An English word in a form the lemma list lacks: "mutations", "promotes", "regulators"."""
    stem = _INFLECTION.sub("", low)
    return stem != low and any(
        form in common for form in (stem, stem + "e", stem + "y", stem + "ion", stem + "ate")
    )


def _headline(text: str, pos: int) -> bool:
    """Whether the line at ``pos`` is in Title Case, where capitals say nothing about names."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : len(text) if end < 0 else end]
    long_words = _LONG_WORD.findall(line)
    # Capitals say something only in scripts that have them; a line wholly in a caseless script
    # cannot tell its names from its other words either.
    cased = [w for w in long_words if not caseless_word(w)]
    if not cased:
        return len(long_words) >= 4
    titled = sum(w[0].isupper() for w in cased)
    return titled >= 4 and titled >= 0.6 * len(cased)


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
                yield from _piece(
                    text, run[start:i], kinds[start:i], words[start:i], lower_mode, common
                )
            start = i + 1


def _piece(
    text: str,
    run: list[re.Match[str]],
    kinds: list[str],
    words: list[str],
    lower_mode: bool,
    common: frozenset[str] = frozenset(),
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
    if score is None and not lower_mode and _shape_name(text, run, kinds, common):
        score = SHAPE_SCORE - 0.1
    if score is None and "word" in kinds:
        start = 0
        for i in range(len(kinds) + 1):
            if i < len(kinds) and kinds[i] != "word":
                continue
            if i > start:
                yield from _piece(
                    text, run[start:i], kinds[start:i], words[start:i], lower_mode, common
                )
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


_NEXT_TOKEN = re.compile(r"[ \t]([^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*)")
_PREV_TOKEN = re.compile(r"([^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*)[ \t]$")
NOT_NAME_WORDS = words("not_names") | words("org_words")
# A family-name particle (any case, "an" after "Mac"), then a name word, maybe mutated ("hAlmhain").
_PARTICLE_NEXT = re.compile(
    r"[ \t](?i:"
    + "|".join(sorted(map(re.escape, PARTICLES), key=len, reverse=True))
    + r"|a['’])(?:[ \t]+an)?[ \t]+(?:h|n-|t-?)?([^\W\d_][^\W\d_'’-]*)(?![\w-])"
)
_MAC = ("mac", "mhic", "nic")
_AN_NEXT = re.compile(r"[ \t]an[ \t]+(?:h|n-|t-?)?([^\W\d_][^\W\d_'’-]*)(?![\w-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n[ \t]*)$")
_TITLE_NEXT = re.compile(r"[ \t]+[A-ZÀ-ÖØ-ÞĀ-ſ]")


def _joins_name(
    word: str, common: frozenset[str], *, last: bool, foreign: bool, before: bool = False
) -> bool:
    low = word.casefold()
    if not title_case(word) or low in _NEXT_BLOCKERS or low in NOT_NAME_WORDS:
        return False
    # Right before a detected surname, a capitalised word is its given name even when it is
    # also a dictionary word ("Maya Vargas", "Cassandra Coleman", "Berit Nygård").
    if before and low not in STOP_WORDS and low not in FUNCTION_WORDS:
        return True
    if is_known(low):
        return low not in STOP_WORDS or last
    # "Nguyễn Văn An": a short title-case word ending the name is part of it.
    if low in STOP_WORDS or low in FUNCTION_WORDS:
        return last and len(low) <= 3 and foreign
    return low not in common


def extend_person(text: str, start: int, end: int, common: frozenset[str]) -> tuple[int, int]:
    """A detected name grown over name-shaped neighbours on the same line ("Haley <PERSON>",
    "<PERSON> Luna"), so a half-detected name is replaced whole."""
    for _ in range(3):
        particle = _PARTICLE_NEXT.match(text, end)
        if particle is None and text[max(start, end - 4) : end].casefold().endswith(_MAC):
            particle = _AN_NEXT.match(text, end)  # "<PERSON Cynthia Mac> an Airchinnigh"
        if (
            particle is not None
            and title_case(particle.group(1))
            and particle.group(1).casefold() not in common
            and particle.group(1).casefold() not in NOT_NAME_WORDS
        ):
            # "Charles <PERSON>" is "Charles Mac Searraigh": a particle and the name after it.
            end = particle.end()
            continue
        match = _NEXT_TOKEN.match(text, end)
        if match is None:
            break
        after = text[match.end() : match.end() + 1]
        last = _TITLE_NEXT.match(text, match.end()) is None
        foreign = not text[start:end].isascii()
        if after.isalpha() or not _joins_name(match.group(1), common, last=last, foreign=foreign):
            break
        end = match.end()
    for _ in range(3):
        match = _PREV_TOKEN.search(text, max(0, start - 40), start)
        if match is None or match.end() != start:
            break
        before = text[match.start() - 1 : match.start()] if match.start() else ""
        # At a sentence start a capital says nothing: "Ask Guðrún ..." is a verb, but mid-
        # sentence "from Maya Vargas" is a given name even though "maya" is also a word.
        opening = _SENTENCE_START.search(text, 0, match.start()) is not None
        if before.isalpha() or not _joins_name(
            match.group(1), common, last=False, foreign=False, before=not opening
        ):
            break
        start = match.start()
    return start, end


def repeated_names(
    text: str, people: list[tuple[int, int]], common: frozenset[str]
) -> Iterator[tuple[int, int]]:
    """Other mentions of a detected person's name words in the same text ("Selim" after
    "Attendees: Selim Stadelmann"): a name found once is a name everywhere in the document."""
    found = set(people)
    names: set[str] = set()
    # A dictionary word that opened a full name ("Amber Hall", "Sienna Osterhoudt") is that
    # person's given name when it comes back on its own ("Action: Amber to follow up").
    given: set[str] = set()
    for start, end in people:
        tokens = re.findall(rf"(?<![-\w])[^\W\d_](?:{LETTER}|['’]){{2,}}(?![-\w])", text[start:end])
        for i, word in enumerate(tokens):
            low = word.casefold()
            if not title_case(word) or low in STOP_WORDS or low in NOT_NAME_WORDS:
                continue
            if low not in common and not _inflected_word(low, common):
                names.add(word)
            elif i == 0 and len(tokens) > 1:
                given.add(word)
    if not names and not given:
        return
    pattern = re.compile(
        r"(?<![\w<>-])(?:"
        + "|".join(sorted(map(re.escape, names | given), key=len, reverse=True))
        + r")(?![\w>-])"
    )
    for match in pattern.finditer(text):
        span = match.span()
        # On its own, not the start of another capitalised phrase ("Amber Alert").
        if (
            match.group() in given
            and match.group() not in names
            and _TITLE_NEXT.match(text, span[1])
        ):
            continue
        if not any(s <= span[0] and span[1] <= e for s, e in found):
            yield span


_ITEM = r"[^\W\d_][^\W\d_'’-]*(?:[ \t]+[A-Z][^\W\d_'’-]*){0,2}"
_COORDINATED = re.compile(
    rf"(?<![\w-])(?:{_ITEM})(?:[ \t]*,[ \t]*(?:{_ITEM}))+,?[ \t]+"
    rf"(?:and|&|or|und|et|y|e|och|og|ja|i|a|ve)[ \t]+(?:{_ITEM})(?![\w-])"
)
_COORDINATED_ITEM = re.compile(
    rf"(?:^|(?<=,)|(?<=\s))[ \t]*({_ITEM})"
    rf"(?=[ \t]*(?:,|$)|[ \t]+(?:and|&|or|und|et|y|e|och|og|ja|i|a|ve)[ \t])"
)


def list_mates(
    text: str, people: list[tuple[int, int]], common: frozenset[str]
) -> Iterator[tuple[int, int]]:
    """The other members of a list whose members are mostly people ("Efimiya, Mary, Ariana,
    Isabel, Teresa and Jodi"): items of one coordinated list are the same kind of thing."""
    if "," not in text or not people:
        return
    for match in _COORDINATED.finditer(text):
        items = [
            (match.start() + m.start(1), match.start() + m.end(1))
            for m in _COORDINATED_ITEM.finditer(match.group())
        ]
        named = [any(s <= a and b <= e for s, e in people) for a, b in items]
        if len(items) < 3 or sum(named) * 2 < len(items):
            continue
        for (a, b), is_person in zip(items, named, strict=True):
            words = text[a:b].split()
            if is_person or not all(title_case(w) for w in words):
                continue
            lows = [w.casefold() for w in words]
            if any(
                low in STOP_WORDS or low in NOT_NAME_WORDS or low in _NEXT_BLOCKERS for low in lows
            ):
                continue
            yield a, b
