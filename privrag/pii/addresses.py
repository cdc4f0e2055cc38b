"""Street-address recognizer for international formats.

It finds a street line first (``12 Baker Street``, ``Koskikatu 25``, ``ul. Grochowa 80``,
``12 rue de la Paix``, ``PSC 1234, Box 5678``, ``P.O. Box 12``, or any ``Name 12`` right after an
address cue such as "address is" or "located at"), then extends it over what follows on the same
or next lines: unit (``Apt. 4``, ``Suite 12``), postcode, city, region and country segments. The
extension only crosses commas and line breaks, so it stops at the end of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from privrag.pii.detectors import Candidate
from privrag.pii.scripts import LETTER, MARKS, NAME_START

# A street or town word opens with a capital, or with any letter of a caseless script
# ("Տոլստոյի 4", "ენუქიძის ქ. 57"), and keeps its combining marks (Devanagari vowel signs).
_UP = NAME_START
_WORD = rf"{_UP}(?:[\w'’.-]|[{MARKS}])*"
_NUM = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
# A town word is letters only; a period ends it only as a short abbreviation ("St. Gallen"),
# so a locality never runs on past a sentence end into "IBAN GB02… Account".
_TOWN_WORD = rf"(?:{_UP}[^\W\d_]{{0,2}}\.|{_UP}(?:{LETTER}|['’-](?=[^\W\d_]))*)"

_EN_SUFFIX = (
    r"Street|St|Road|Rd|Avenue|Ave|Av|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square"
    r"|Sq|Terrace|Terr|Way|Close|Crescent|Cres|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl"
    r"|Row|Mews|Gardens|Gdns|Grove|Hill|Walk|Rise|Green|Parade|Alley|Loop|Pike|Plaza|Ridge"
    r"|View|Vale|Wharf|Quay|Esplanade|Causeway|Crossing|Heights|Junction|Point|Estate"
    r"|Springs?|Track|Turnpike|Valley|Vista|Manor|Meadows?|Orchard|Pass|Path|Gate|Yard|Wynd"
    r"|Broadway|Expressway|Freeway|Route|Rte|Center|Centre|Commons|Landing|Harbor|Harbour"
)
# The rest of the USPS street suffixes (Publication 28, appendix C1), leaving out the ones that
# name events and places of business ("Summit", "Mission", "Camp", "Lodge", "Branch"); only
# after a house number *and* a name word: "9223 Povilonis Wall", "17295 Liégeois Crossroad".
_USPS_SUFFIX = (
    r"Anex|Bayou|Bend|Bluffs?|Bottom|Brooks?|Burgs?|Bypass|Canyon|Cliffs?|Cove|Coves|Creek"
    r"|Crest|Crossroads?|Curve|Dale|Estates|Extensions?|Falls|Ferry|Flats?|Forges?|Forks?|Fort"
    r"|Gateway|Glens?|Greens|Groves|Harbors|Haven|Hills|Hollow|Inlet|Islands?|Isle|Junctions"
    r"|Knolls?|Lakes?|Manors|Meadows|Mills?|Motorway|Mount|Mountains?|Neck|Oval|Overpass|Parks"
    r"|Passage|Pines?|Plains?|Points|Ports?|Prairie|Radial|Ranch|Rapids?|Ridges|Shoals?|Shores?"
    r"|Skyway|Spurs?|Squares|Stravenue|Stream|Throughway|Trace|Trafficway|Tunnel|Underpass"
    r"|Station|Viaduct|Views|Villages?|Ville|Wall|Wells?"
)
# Street-name endings in European languages: "Koskikatu", "Vesterskovvej", "Hauptstraße".
_EU_SUFFIX = (
    r"straße|strasse|straat|str\.|weg|gasse|allee|platz|damm|ufer|markt|steig|pfad|chaussee"
    r"|vej|veien|vei|vegen|veg|gata|gatan|gade|vägen|väg|stræde|stig|allé|torget|torv"
    r"|tie|katu|kuja|polku|kaari|rinne|katu|tori|raitti|laan|straat|plein|gracht|kade|dreef"
    r"|singel|utca|út|tér|körút|ulica|ulice|aleja|cesta|náměstí|třída|tee|maantee|iela"
    r"|gatvė|prospekt|bulvar|sokak|sokağı|caddesi|odos|leoforos|terrasse"
)
_STREET_AFTER_NAME = re.compile(
    rf"[ \t]+(?:{_EN_SUFFIX}|(?i:{_EU_SUFFIX}))\.?,?[ \t]+(?P<number>{_NUM})\b"
    rf"|[ \t]+(?:{_EN_SUFFIX})\b"
)
_NUM_BEFORE = re.compile(rf"{_NUM}[ \t]+$")


def names_a_street(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the name part of a street: "Hátharasztii" in "Hátharasztii
    út 211.", "Lahtinen" in "12 Lahtinen Road". A street word must follow, and a house number
    follow it or come before the name."""
    after = _STREET_AFTER_NAME.match(text, end)
    if after is None:
        return False
    # A house number is at most a dozen characters: look just before the name, not at the whole
    # text before it (this runs for every name the model finds).
    return (
        after.group("number") is not None
        or _NUM_BEFORE.search(text[max(0, start - 24) : start]) is not None
    )


# Street types written before the name: "ul. Grochowa 80", "Via Roma 10", "12 rue de la Paix".
_PREFIX = (
    r"ul\.|ulica|al\.|aleja|os\.|pl\.|Rue|rue|Avenue|avenue|Av\.|Avda\.?|Avenida|avenida|Calle"
    r"|calle|C/|Carrer|carrer|Via|via|Viale|viale|Piazza|piazza|Corso|corso|Largo|largo|Rua"
    r"|rua|Travessa|travessa|Praça|praça|Plaza|plaza|Paseo|paseo|Boulevard|boulevard|Bd"
    r"|Chemin|chemin|Impasse|impasse|Allée|allée|Place|place|Quai|quai|Strada|strada"
    r"|Odos|Οδός|Route|route|Camino|camino|Ronda|ronda|Passeig|passeig|Vicolo|vicolo"
)
_NAME_WORDS = (
    rf"(?:{_WORD}|d['’]{_WORD}|de|del|della|delle|dei|degli|dello|dal|dalla|di|da|do|dos|das|la"
    rf"|le|les|du|des|van|von|der|den|y|e|z|u|nad|pod|am|an|im|auf|sur|sous|en|al|el)"
)

# A postcode as the start of a locality line: "602 00", "0150", "1200-012", "SW1A 1AA", "34710",
# six digits ("235654", India, China, Russia, Singapore).
_POSTCODE_AHEAD = (
    r"\d{3}[ ]?\d{2}|\d{4,6}(?:-\d{3,4})?|\d{2}-\d{3}|[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}"
    r"|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|[A-Z]{1,2}-?\d{4,5}"
)

# A number glued by a hyphen to letters is an identifier ("ORD-62578 Orion Gateway"), not a
# house number.
_NOT_AN_ID = r"(?<![\d.])(?<![^\W\d_]-)"

_STREET_PATTERNS = (
    # 12 Baker Street / 1600 Pennsylvania Avenue NW
    re.compile(
        rf"{_NOT_AN_ID}\b(?:\d{{1,6}}[ \t]+)?{_NUM},?\s+(?:{_WORD}\s+){{0,4}}(?:{_EN_SUFFIX})\b\.?"
        rf"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?"
    ),
    re.compile(
        rf"{_NOT_AN_ID}\b{_NUM},?[ \t]+(?:{_WORD}[ \t]+){{1,4}}(?:{_USPS_SUFFIX})\b\.?"
        rf"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?"
    ),
    # Dutch and Flemish compounds: "Kouterboulevard 61", "Frankrijklei 55", "Gentsesteenweg 9".
    re.compile(rf"\b{_UP}[^\W\d_]{{2,}}(?:boulevard|lei|steenweg|kaai|baan)[ \t]+{_NUM}\b"),
    # [0269 ]Stensås terrasse 38 / Koskikatu 25 / Hauptstraße 5a
    re.compile(
        rf"(?:\b\d{{3,6}}\s+)?(?:{_WORD}\s+){{0,3}}"
        # The look-ahead (a number follows) fails fast before the suffix alternation is tried.
        rf"\b(?=[\w'’-]+\.?\s+\d)[\w'’-]*(?i:{_EU_SUFFIX})\.?\s+{_NUM}\b"
    ),
    re.compile(rf"(?:\b\d{{3,6}}\s+)?(?:{_WORD}\s+){{0,3}}\b(?:{_EU_SUFFIX})\.?\s+{_NUM}\b"),
    # ul. Grochowa 80 / Via Roma 10 / Calle Mayor, 5 / 74 Odos Diakou
    re.compile(
        rf"(?:\b{_NUM},?\s+)?(?<![\w.])(?:{_PREFIX})\s+(?:{_NAME_WORDS}\s+){{0,4}}{_NAME_WORDS},?"
        rf"(?:\s+{_NUM}\b)?"
    ),
    # Street type as its own word before the number: "Király u. 15.", "Erzsébet tér 19.".
    re.compile(
        rf"(?:\b\d{{3,6}}\s+)?(?:{_WORD}[ \t]+){{1,3}}(?:u\.|utca|út|útja|tér|krt\.|körút|rkp\."
        rf"|fasor|köz|sor|sétány|ring|gate|gata|vei|vej|väg|tie|polku)[ \t]+{_NUM}\b\.?"
    ),
    # A postcode or house number, a name, a number, then the end of the line or a unit:
    # "0138 Brisas 6802", "28030 Edeby 55\n Apt. 297", "4923 Parmova 109".
    re.compile(
        rf"\b\d{{3,6}}[ \t]+(?:{_NAME_WORDS}[ \t]+){{0,3}}{_WORD}[ \t]+{_NUM}\b\.?"
        rf"(?=[ \t]*(?:[,\n]|$|(?i:apt|suite|unit|flat|st\.)))"
    ),
    # By structure, in any language: "Hradební 505, 602 00 Brno", "Doktordammen 555\n0150 Oslo",
    # "Rua Augusta 12 - 1200-012 Lisboa": a name, a house number, then a postcode and a town;
    # maybe a district or two between them ("Hradební 505, Brno-střed, 602 00 Brno").
    re.compile(
        rf"(?<![\w.-])(?:{_NAME_WORDS}[ \t]+){{0,3}}{_WORD}[ \t]+{_NUM}\b"
        rf"(?:[ \t]*,[ \t]*(?:{_NAME_WORDS}[ \t]+){{0,3}}{_WORD}(?=[ \t]*,)){{0,2}}"
        rf"(?=[ \t]*(?:,|-|–|\n)[ \t]*\n?[ \t]*(?:{_POSTCODE_AHEAD})[ \t]+{_WORD})"
    ),
    # The same in house-number-first order, whatever the street type: "721 Kelley Subway, 2767
    # West Kimberly", "14 Rose Hollow, SW1A 1AA London", "7 Azadlıq\nAZ1000 Bakı".
    re.compile(
        rf"(?<![\w.-]){_NUM}[ \t]+(?:{_NAME_WORDS}[ \t]+){{0,3}}{_WORD}"
        rf"(?=[ \t]*(?:,[ \t]*\n?|\n)[ \t]*(?:{_POSTCODE_AHEAD})[ \t]+{_TOWN_WORD}"
        rf"(?:[ \t]+{_TOWN_WORD}){{0,2}}[ \t]*(?:[,.;\n]|$))"
    ),
    # "12 Kowalski Crescent" spelt in lower case after the number: "82 Smith crescent".
    re.compile(rf"(?<![\w.])\d{{1,5}}[A-Za-z]?[ \t]+{_WORD}[ \t]+(?i:{_EN_SUFFIX})\b\.?"),
    # A unit line that starts an address block: "Flat 04V", "Studio 44", "Apartment 3B".
    re.compile(
        r"(?m:^[ \t]*(?:Flat|Studio|Apartment|Apt\.?|Unit|Suite|Room|Lgh\.?|Byt|Daire|Wohnung"
        r"|Appartement|Piso|Andar|Leilighet|Lejlighed|Lägenhet|Asunto|Lakás|Mieszkanie)[ \t]+"
        r"[\w-]{1,6}(?=[ \t]*(?:,|\n)))"
    ),
    # Spanish-American numbering: the street by type and name or number, then "N°" or "#"
    # and the house number: "Av. Alem N° 422", "Diagonal 9 N° 95", "Cl. 119J # 31-2 Este",
    # "Carrera 4I Bis D # 2-88 Sur", "Tr. 145A # 7-6".
    re.compile(
        r"(?<![\w.])(?:Avenida|Av\.|Avda\.?|Calle|Cl\.|Cll\.?|Carrera|Cra\.?|Kr\.?|Cr\.|Diagonal"
        r"|Diag\.|Dg\.|Transversal|Tv\.|Tr\.|Boulevard|Blv\.|Bv\.|Pasaje|Psje\.|Camino|Ruta"
        r"|Autopista|Circunvalar|Av)[ \t]+(?:[\w'’.]+[ \t]+){0,4}?(?:N[°º]|No\.|Nro\.?|#)[ \t]*"
        r"\d{1,5}[A-Za-z]?(?:[ \t]*-[ \t]*\d{1,4}[A-Za-z]?)?"
        r"(?:[ \t]+(?:Sur|Este|Norte|Oeste|Bis))?\b"
    ),
    # Indian house numbers: "H.No. 35", "H. No 12-4-56", "Flat No. 4B".
    re.compile(r"\b(?:H\.?[ \t]?No|House[ \t]+No|Flat[ \t]+No|Plot[ \t]+No)\.?[ \t]*\d[\w/-]*"),
    # Military and postal boxes.
    re.compile(
        r"\b(?:PSC|Unit|CMR)\s+\d{3,5},?\s+Box\s+\d{3,5}(?:\s*\n?\s*[AFD]PO\s+A[AEP]\s+\d{5})?",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:USS|USNS|USNV|USCGC)\s+[^\W\d_][\w'’.-]*(?:\s*\n?\s*FPO\s+A[AEP]\s+\d{5})?",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:P\.?\s?O\.?\s?Box|Post\s+Office\s+Box|Postfach|Apartado(?:\s+de\s+correos)?"
        # A bare "Box 1" is a figure or table box; a bare post box has three digits or more.
        r"|Boîte\s+postale|Postbus)\s+\d{1,6}\b|\bBox\s+\d{3,6}\b",
        re.IGNORECASE,
    ),
)
# A house number of its own, not a digit inside a gene or model name ("via PI3K").
_PREFIX_NEEDS_NUMBER = re.compile(r"(?<![^\W\d_])\d")
# "No." as a house-number mark ("H.No. 35", "Calle Mayor No. 5") is no "No." of an issue.
_HOUSE_NUMBER_MARK = re.compile(
    r"\b(?:H\.?[ \t]?|House[ \t]+|Flat[ \t]+|Plot[ \t]+)No\b\.?|(?<![\w.])No\.(?=[ \t]*\d)"
)
# "1 Dr. Okafor", "3 St. Mary": a number and an abbreviation with no street name between.
_BARE_ABBREVIATION = re.compile(
    r"[\d \t]*\d[A-Za-z]?,?\s+(?:St|Dr|Rd|Ave|Av|Ln|Ct|Pl|Sq|Blvd|Cir|Trl|Hwy|Pkwy|Rte|Terr"
    r"|Cres|Gdns)\.?"
)
# Numbered things that are not streets: "Release 200 Update 5", "Table 2", "Windows 11", and
# dates ("Monday 3 March").
_NOT_STREET = re.compile(
    r"(?i:\b(?:update|version|release|build|patch|table|figure|fig|chapter|section|article"
    r"|step|phase|stage|page|part|item|items|line|lines|level|grade|type|class|week|day|year"
    r"|windows|python|java|ios|android|model|series|episode|season|volume|vol|issue|no"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
    r"|january|february|march|april|june|july|august|september|october|november|december"
    r"|sprint|room|gate|terminal|platform|q[1-4]|fy|v)\b)"
)

_CUE = re.compile(
    r"(?i:\b(?:address(?:es)?|addr\.?|located\s+at|located\s+on|live\s+at|lives\s+at|living\s+at"
    r"|lives?\s+on|living\s+on"
    r"|moved\s+to|move\s+to|send\s+(?:it\s+|them\s+|the\s+\w+\s+)?to|ship(?:ped)?\s+to"
    r"|deliver(?:ed)?\s+to|return\s+to|mail\s+to|resides?\s+at|residence|domicile|anschrift"
    r"|adresse|wohnhaft|dirección|direccion|indirizzo|endereço|adres|osoite|is\s+on|is\s+at"
    r"|is\s+in|here\s+they\s+are|corner\s+of|visit\s+us\s+at|find\s+us\s+at|based\s+at)\b"
    r"\s*(?:is\s+|are\s+|:\s*|-\s*)?(?:the\s+)?)"
)
# After a cue, the address may be "Name 12", "12 Name Name", or "the corner of A 1 and B".
_CUED_STREET = re.compile(
    rf"(?:corner\s+of\s+)?"
    # A unit or lot before the street: "No. d-48-58, ", "Lot 4, ".
    rf"(?:(?i:no\.?|nr\.?|lot|unit|flat|apt\.?)[ \t]*[\w/-]*\d[\w/-]*,?[ \t]+)?"
    rf"(?:(?:{_NUM},?[ \t]+)?(?:{_NAME_WORDS}[ \t]+){{0,4}}{_WORD}[ \t]+{_NUM}\b\.?"
    rf"|{_NUM}[ \t]+(?:{_NAME_WORDS}[ \t]+){{0,4}}{_WORD})"
    rf"(?:[ \t]+and[ \t]+(?:{_NAME_WORDS}[ \t]+){{0,3}}{_WORD}(?:[ \t]+{_NUM}\b)?)?"
)

_LINE = r"(?:[ \t]*,?[ \t]*(?:\n[ \t]*(?:[>?]+[ \t]*)?)?)"
_UNIT = re.compile(
    rf"{_LINE},?[ \t]*(?i:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|Building"
    r"|Bldg|Block|Wohnung|Etage|Piso|Puerta|Escalera|Bus|Boîte|lgh|lok\.|m\.|#)\.?[ \t]*[\w-]{1,6}\b"
)
_POSTCODE = (
    r"(?:\d{5}(?:-\d{3,4})?|\d{4}(?:\s?[A-Z]{2}\b)?|\d{3}\s\d{2}|\d{2}-\d{3}"
    r"|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|[A-Z]{1,2}-?\d{4,5})"
)
_CONNECT = r"(?:[ \t-]+|[ \t]+(?:u|v|nad|pod|de|del|la|di|an|am|im|bei|sur|en|op)[ \t]+)"
_LOCALITY = re.compile(
    rf"[ \t]*(?:,(?:[ \t]+\n?|\n)|\n)[ \t]*(?:[>?]+[ \t]*)?,?[ \t]*"
    rf"(?:{_POSTCODE}[ \t]+)?(?:{_TOWN_WORD}(?:{_CONNECT}{_TOWN_WORD}){{0,3}}|[A-Z]{{2,3}})"
    rf"(?:[ \t]+{_POSTCODE})?(?=[ \t]*(?:[,\n.;:)?!]|$)|[ \t]+[a-z])"
)
# Not followed by more digits: "APO AA 61487\n416 60 039 office" ends before the phone number.
_TRAILING_POSTCODE = re.compile(rf"{_LINE}{_POSTCODE}(?![\w-]|[ \t]*\d)")
# A town on the same line right after a unit: "Apt. 615 Moosleerau Switzerland".
_UNIT_TOWN = re.compile(
    rf"[ \t]+(?!(?i:apt|apartment|suite|ste|unit|flat|floor|room|building|bldg)\b){_TOWN_WORD}(?:[ \t]+(?:{_TOWN_WORD}|[A-Z]{{2}})){{0,2}}(?=[ \t]*(?:[,\n.;?!]|$))"
)

_MONTH_WORD = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
)

ADDRESS_SCORE = 0.9
CUED_SCORE = 0.8


def _extend(text: str, end: int) -> int:
    # "Suite 967 Apt. 267": units repeat.
    for _ in range(3):
        unit = _UNIT.match(text, end)
        if unit is None:
            break
        end = unit.end()
        town = _UNIT_TOWN.match(text, end)
        if town is not None:
            end = town.end()
    for _ in range(4):
        part = _LOCALITY.match(text, end) or _TRAILING_POSTCODE.match(text, end)
        if part is None:
            break
        end = part.end()
    return end


def find_addresses(text: str) -> Iterator[Candidate]:
    # A tab separates fields: no address spans one. "|" (same length, so offsets hold) is a
    # character no street, locality or unit pattern crosses.
    text = text.replace("\t", "|")
    spans: list[tuple[int, int, float, str]] = []
    for pattern in _STREET_PATTERNS:
        for match in pattern.finditer(text):
            value = match.group()
            if (
                not _PREFIX_NEEDS_NUMBER.search(value)
                or _NOT_STREET.search(_HOUSE_NUMBER_MARK.sub(" ", value))
                or _BARE_ABBREVIATION.fullmatch(value)
            ):
                continue
            spans.append((match.start(), match.end(), ADDRESS_SCORE, "street"))
    for cue in _CUE.finditer(text):
        cued = _CUED_STREET.match(text, cue.end())
        # "The meeting is on 12 March" is a date, not a street.
        if cued and not _MONTH_WORD.search(cued.group()):
            spans.append((cued.start(), cued.end(), CUED_SCORE, "street-cued"))
    found: list[Candidate] = []
    for start, end, score, source in spans:
        end = _extend(text, end)
        # Only a unit that starts its line opens an address block; "resides at Studio 8, ..."
        # inside a sentence ends with the sentence's address, not with the line.
        line_start = text.rfind("\n", 0, start) + 1
        if _UNIT_LINE.match(text, start) and not text[line_start:start].strip():
            end = _block(text, end)
        found.append(Candidate("STREET_ADDRESS", start, end, score, source))
    yield from found
    # Two pieces of address with only a few capitalised words between them are one address
    # ("14 Crown Street Kishiev Squares\n Suite 321\n LONDON"): the words between belong to it.
    found.sort(key=lambda c: c.start)
    for first, second in pairwise(found):
        if first.end < second.start and _ADDRESS_GAP.fullmatch(text, first.end, second.start):
            yield Candidate("STREET_ADDRESS", first.start, second.end, first.score, "street-joined")


_ADDRESS_GAP = re.compile(rf"[ \t,]*(?:{_TOWN_WORD}[ \t]*){{0,3}},?[ \t]*\n?[ \t>]*")
_UNIT_LINE = re.compile(r"[ \t]*(?:Flat|Studio|Apartment|Apt|Unit|Suite|Room|Lgh|Byt|Daire)\b")
_PROSE = re.compile(r"\b[a-z]{2,}[ \t]+[a-z]{2,}\b")
_BLOCK_LINE = re.compile(r"[ \t]*\n[ \t]*[A-Z0-9ÀÖØ-ÞĀ-ſ][\w .,'’/-]{1,40}(?=\n|$)")


def _block(text: str, end: int) -> int:
    """An address block after a unit line: the rest of its line and the next short lines."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[end:line_end]
    # The rest of the unit's line, unless a sentence goes on there ("75419? I am in Sutri").
    if not (_PROSE.search(rest) or re.search(r"[.!?](?:\s|$)", rest)):
        end = line_end
    for _ in range(3):
        line = _BLOCK_LINE.match(text, end)
        if (
            line is None
            or (
                any(ch in line.group() for ch in ".!?:") and not line.group().rstrip().endswith(".")
            )
            # Two lower-case words in a row are prose, not an address line ("after the concert").
            or _PROSE.search(line.group())
        ):
            break
        end = line.end()
    return end
