"""Full-name cells: split into parts, couples ("John & Jane Smith"), organisations."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nameparser import HumanName
from nameparser.config import Constants

from .text import scrub


@dataclass(frozen=True, slots=True)
class PersonName:
    """The parts of one person's name, each as written in the file ("" when absent)."""

    prefix: str = ""
    first: str = ""
    middle: str = ""
    last: str = ""
    suffix: str = ""


# Our own copy of nameparser's configuration: its module-level CONSTANTS are shared by every
# user of the library. Titles that are also given names come out, or "Earl Jones" and
# "Prince Fielder" lose their first names.
_NAMEPARSER = Constants()
_GIVEN_NAMES_NOT_TITLES = ("king", "queen", "prince", "princess", "baron", "bishop", "judge", "royal", "deacon")
_NAMEPARSER.titles.discard(*_GIVEN_NAMES_NOT_TITLES)
_NAMEPARSER.first_name_titles.discard(*_GIVEN_NAMES_NOT_TITLES)

_TITLES = frozenset(_NAMEPARSER.titles)
# Any word nameparser treats specially sends a name down the slow path.
_SPECIAL_WORDS = _TITLES | frozenset(
    [
        *_NAMEPARSER.suffix_acronyms,
        *_NAMEPARSER.suffix_not_acronyms,
        *_NAMEPARSER.prefixes,
        *_NAMEPARSER.conjunctions,
        *_NAMEPARSER.bound_first_names,
        *_NAMEPARSER.first_name_titles,
    ]
)
_SPACES = re.compile(r"\s+")
# Latin-script words ("O'Brien", "Mary-Kate") and initials ("Q."): nameparser reorders some
# other scripts (CJK) itself.
_PLAIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]+(?:['’\-][A-Za-zÀ-ÖØ-öø-ɏ]+)*|[A-Za-z]\.")
# Spaces around "&" and "and" are required: "AT&T" and "Anderson" are not couples. A comma
# before it ("Smith, John, and Jane") belongs to the conjunction.
_CONJUNCTION = re.compile(r",?\s+(?:and|&|\+)\s+", re.IGNORECASE)
_INITIAL = re.compile(r"[^\W\d_]\.?")


def split_full_name(value: str) -> PersonName:
    """Prefix, first, middle, last and suffix of a *Full name* cell.

    "Mr. John Q. Public Jr.", "Public, John Q." and "JOHN PUBLIC" (case is never changed).
    For a couple ("John & Jane Smith", "Smith, John and Jane") this is the first person; see
    `split_couple`. Organisation names are split too: the caller decides what they are.
    """
    people = split_couple(value)
    return people[0] if people else PersonName()


def split_couple(value: str) -> list[PersonName]:
    """Every person a *Full name* cell names, in order; one for a plain name, none if blank.

    "John & Jane Smith" and "Smith, John and Jane" give John Smith and Jane Smith;
    "John Smith and Jane Doe" keeps both last names; "Mr. and Mrs. John Smith" gives
    Mr. John Smith and Mrs. Smith. An organisation ("Smith & Sons Inc.") is one name.
    """
    text = _SPACES.sub(" ", scrub(value))
    if not text:
        return []
    parts = [part.strip() for part in _CONJUNCTION.split(text)]
    if len(parts) == 1 or not all(parts) or looks_like_organisation(text):
        return [_parse(text)]

    last_name, comma, given = parts[0].partition(",")
    if comma and given.strip() and not _is_suffix(given):
        # "Smith, John and Jane": the family name leads and every given name shares it.
        last_name = last_name.strip()
        # "Smith, John, Jr. and Jane": the suffix is John's alone.
        first = _parse(parts[0]) if "," in given else _given_names(given, last_name)
        return [first] + [
            _parse(part) if "," in part else _given_names(part, last_name) for part in parts[1:]
        ]

    # "John and Jane Smith": the last person carries the family name of any before it that
    # has none of their own.
    final = _parse(parts[-1])
    people = []
    for part in parts[:-1]:
        if _only_titles(part):
            # "Mr. and Mrs. John Smith": John is Mr. Smith; Mrs. Smith's own name is not given.
            people.append(PersonName(part, final.first, final.middle, final.last, final.suffix))
            final = PersonName(prefix=final.prefix, last=final.last)
        elif "," not in part and _lacks_last_name(part):
            people.append(_given_names(part, final.last))
        else:
            people.append(_parse(part))
    return [*people, final]


def _parse(text: str) -> PersonName:
    words = text.split(" ")
    if "," in text:
        last, _, given = text.partition(",")
        last, words = last.strip(), given.split()
        if len(words) in (1, 2) and _plain([last, *words]):
            return PersonName(first=words[0], middle=words[1] if len(words) == 2 else "", last=last)
    elif len(words) in (2, 3) and _plain(words):
        # Most names are two or three plain words; nameparser would take ~100 µs to agree.
        return PersonName(first=words[0], middle=words[1] if len(words) == 3 else "", last=words[-1])
    name = HumanName(text, constants=_NAMEPARSER)
    return PersonName(name.title, name.first, name.middle, name.last, name.suffix)


def comma_person_name(value: str) -> tuple[str, str] | None:
    """(given names, family name) of a single person written "Family, Given" ("Rivera, Ana",
    "Rivera, Ana M."), as QuickBooks and tax programs list individuals; None for anything
    else: a couple, an organisation ("Acme, Inc."), a credential after the comma ("Garcia, DDS").
    """
    if value.count(",") != 1:
        return None
    text = _SPACES.sub(" ", value).strip()
    family, _, given = (part.strip() for part in text.partition(","))
    family_words, given_words = family.split(" "), given.split(" ")
    if (
        not family or not given or len(family_words) > 2 or len(given_words) > 2
        or _CONJUNCTION.search(text) or _is_suffix(given) or looks_like_organisation(text)
        or not _plain([*family_words, *given_words])
    ):
        return None
    return given, family


def _plain(words: list[str]) -> bool:
    return all(
        _PLAIN_WORD.fullmatch(word)
        and word.lower() not in _SPECIAL_WORDS
        and word.lower().rstrip(".") not in _SPECIAL_WORDS
        for word in words
    )


def _is_title(word: str) -> bool:
    word = word.lower()
    return word in _TITLES or word.rstrip(".") in _TITLES


def _only_titles(text: str) -> bool:
    return all(_is_title(word) for word in text.split())


def _is_suffix(text: str) -> bool:
    words = text.replace(",", " ").split()
    return bool(words) and all(
        word.lower().replace(".", "") in _NAMEPARSER.suffix_not_acronyms
        or word.lower().replace(".", "") in _NAMEPARSER.suffix_acronyms
        for word in words
    )


def _lacks_last_name(text: str) -> bool:
    """"John", "Mr. John" or "John Q." is a given name waiting for the family name after it."""
    names = [word for word in text.split() if not _is_title(word) and not _INITIAL.fullmatch(word)]
    return len(names) <= 1


def _given_names(text: str, last: str) -> PersonName:
    words = text.split()
    prefix = []
    while len(words) > 1 and _is_title(words[0]):
        prefix.append(words.pop(0))
    return PersonName(" ".join(prefix), words[0] if words else "", " ".join(words[1:]), last)


# Legal forms: "Smith Co" and "Smith Co., LLC" are one name apart from them (likely duplicates).
LEGAL_FORMS = frozenset(
    "llc llp lllp pllc plc lp ltd limited inc incorporated corp corporation co company pc pa pllp gmbh pty sarl".split()
)
# Words that, on their own, make a name an organisation's. Legal forms first; then words
# that name a business or institution and are rare as personal names. Checked as whole words
# after dots are removed ("L.L.C." is "llc", "Co." is "co").
_ORGANISATION_WORDS = frozenset(
    """
    llc llp lllp pllc plc lp ltd limited inc incorporated corp corporation co company companies
    pc pa pllp gmbh pty sarl dba
    trust trustee trustees estate foundation fund charity nonprofit association society institute
    partners partnership associates group holdings holding enterprises enterprise ventures
    industries international services solutions consulting consultants properties realty
    investments capital management dental medical clinic hospital ministries university college
    school academy club center centre studio studios restaurant bakery farms ranch construction church
    contractors plumbing electric motors firm office offices agency bank sons brothers bros
    """.split()
)
_WORD = re.compile(r"[^\W_]+")


def looks_like_organisation(value: str) -> bool:
    """Does this name read as a business, trust or institution rather than a person?

    "Acme LLC", "Smith & Sons Inc.", "Johnson Family Trust", "Bright Dental PC": yes.
    "John Smith", "Smith, John", "John & Jane Smith": no.
    """
    if not value:
        return False
    words = _WORD.findall(value.casefold().replace(".", ""))
    return any(word in _ORGANISATION_WORDS for word in words)


# Credentials and generational suffixes people type after their family name in contact apps
# (LinkedIn: "Patel CPA", "Garcia, DDS"). A short explicit list: nameparser's 640 "suffix
# acronyms" include words that are family names too ("Ace", "Ala").
_CREDENTIALS = frozenset(
    [
        "cpa", "ea", "cfp", "cfa", "cma", "cia", "cgma", "cisa", "cfe", "cpa/pfs", "pfs", "abv", "cva", "mba", "macc",
        "mst", "jd", "llm", "esq", "md", "do", "dds", "dmd", "dvm", "phd", "edd", "rn", "np", "pa-c", "pe", "ra",
        "jr", "sr", "ii", "iii", "iv",
    ]
)
# Emoji, pictographs and private-use characters are not part of a name. Modifier symbols (Sk)
# are, when typed as an apostrophe ("O´Brien"), except emoji skin tones.
_SYMBOLS = frozenset(["So", "Cs", "Co"])
_EMOJI_EXTRAS = frozenset(["\ufe0f", "\u200d", *map(chr, range(0x1F3FB, 0x1F400))])


def strip_symbols(name: str) -> str:
    """A name without emoji and other pictographs ("Walsh 🏠" is Walsh)."""
    if name.isascii():
        return name
    kept = "".join(
        char for char in name if unicodedata.category(char) not in _SYMBOLS and char not in _EMOJI_EXTRAS
    )
    return _SPACES.sub(" ", kept).strip()


def split_credentials(last_name: str) -> tuple[str, str]:
    """ "Patel CPA" -> ("Patel", "CPA"); "Garcia, DDS, PhD" -> ("Garcia", "DDS, PhD"). Only
    trailing words of the list, written in capitals or after a comma, are taken: "Do" and
    "Ra" are family names too."""
    head, comma, tail = last_name.partition(",")
    if comma:
        pieces = [piece.strip() for piece in tail.split(",")]
        if head.strip() and all(_credential(piece, after_comma=True) for piece in pieces if piece):
            return head.strip(), ", ".join(piece for piece in pieces if piece)
        return last_name, ""
    words = last_name.split()
    cut = len(words)
    while cut > 1 and _credential(words[cut - 1], after_comma=False):
        cut -= 1
    if cut == len(words):
        return last_name, ""
    return " ".join(words[:cut]), " ".join(words[cut:])


def _credential(word: str, *, after_comma: bool) -> bool:
    key = word.replace(".", "").casefold()
    if key not in _CREDENTIALS:
        return False
    return after_comma or word.upper() == word or "." in word
