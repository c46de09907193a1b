"""Email cells: validated, normalised, several in one cell."""

import pytest

from imports.cleaning import clean_emails


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("jane@example.com", ["jane@example.com"], id="one"),
        pytest.param("  jane@example.com  ", ["jane@example.com"], id="trimmed"),
        pytest.param("Jane.Roe@Example.COM", ["Jane.Roe@example.com"], id="domain-lowered-local-part-kept"),
        pytest.param("a@x.com, b@y.com", ["a@x.com", "b@y.com"], id="comma"),
        pytest.param("a@x.com;b@y.com", ["a@x.com", "b@y.com"], id="semicolon"),
        pytest.param("a@x.com b@y.com", ["a@x.com", "b@y.com"], id="space"),
        pytest.param("a@x.com\r\nb@y.com", ["a@x.com", "b@y.com"], id="windows-line-break"),
        pytest.param("a@x.com ::: b@y.com ::: c@z.com", ["a@x.com", "b@y.com", "c@z.com"], id="google-triple-colon"),
        pytest.param("Jane Roe <jane@x.com>", ["jane@x.com"], id="display-name"),
        pytest.param('"Roe, Jane" <jane@x.com>, bob@y.com', ["jane@x.com", "bob@y.com"], id="quoted-name-with-comma"),
        pytest.param("Roe, Jane <jane@x.com>; Bob <bob@y.com>", ["jane@x.com", "bob@y.com"], id="unquoted-names"),
        pytest.param("a@b.com, Jane <jane@x.com>", ["a@b.com", "jane@x.com"], id="bare-and-named-mixed"),
        pytest.param('"Jane Roe" jane@x.com', ["jane@x.com"], id="quoted-name-without-brackets"),
        pytest.param("Jane Roe (jane@x.com)", ["jane@x.com"], id="outlook-name-round-brackets"),
        pytest.param("jane@x.com (home)", ["jane@x.com"], id="comment-after"),
        pytest.param("Work: jane@x.com", ["jane@x.com"], id="label-with-colon"),
        pytest.param("Ann Lee ann@x.com", ["ann@x.com"], id="name-without-brackets"),
        pytest.param("ed@x.com home", ["ed@x.com"], id="label-after"),
        pytest.param("jane@x.com Roe", ["jane@x.com"], id="word-after"),
        pytest.param("bob@x.com and jane.roe@x.com", ["bob@x.com", "jane.roe@x.com"], id="and-between"),
        pytest.param("ida@x.com or ida@y.com", ["ida@x.com", "ida@y.com"], id="or-between"),
        pytest.param("email ann@x.com", ["ann@x.com"], id="label-before"),
        pytest.param("jane@x.com <jane@x.com>", ["jane@x.com"], id="address-as-display-name"),
        pytest.param("Jane Roe < jane@x.com >", ["jane@x.com"], id="spaces-inside-brackets"),
        pytest.param("a@x.com b@y.com c@z.com", ["a@x.com", "b@y.com", "c@z.com"], id="three-spaced"),
        pytest.param("a@x.com | b@y.com", ["a@x.com", "b@y.com"], id="pipe"),
        pytest.param("a@x.com\nb@y.com", ["a@x.com", "b@y.com"], id="line-break"),
        pytest.param("a@x.com - b@y.com", ["a@x.com", "b@y.com"], id="dash-between"),
        pytest.param("mailto:a@x.com; mailto:b@y.com", ["a@x.com", "b@y.com"], id="mailto-twice"),
        pytest.param(
            "Jane Roe <jane@x.com> ::: Bob Doe <bob@y.com>", ["jane@x.com", "bob@y.com"], id="google-named"
        ),
        pytest.param("mailto:jane@x.com", ["jane@x.com"], id="mailto"),
        pytest.param("MAILTO:jane@x.com", ["jane@x.com"], id="mailto-upper"),
        pytest.param("<jane@x.com>", ["jane@x.com"], id="brackets-only"),
        pytest.param("jane@x.com.", ["jane@x.com"], id="sentence-full-stop"),
        pytest.param("a@x.com, A@X.COM, a@x.com", ["a@x.com"], id="repeats-ignoring-case"),
        pytest.param("b@y.com, a@x.com", ["b@y.com", "a@x.com"], id="order-kept-first-is-primary"),
        pytest.param("josé@exemple.fr", ["josé@exemple.fr"], id="unicode-local-part"),
        pytest.param("anna@exämple.de", ["anna@exämple.de"], id="international-domain"),
        pytest.param("anna@xn--exmple-cua.de", ["anna@exämple.de"], id="punycode-domain-decoded"),
        pytest.param("first.o'brien+tax@mail.co.uk", ["first.o'brien+tax@mail.co.uk"], id="plus-and-apostrophe"),
        pytest.param("", [], id="blank"),
        pytest.param("n/a", [], id="placeholder-na"),
        pytest.param("None", [], id="placeholder-none"),
        pytest.param(" - ", [], id="placeholder-dash"),
    ],
)
def test_clean_emails_valid(raw, expected):
    assert clean_emails(raw) == (expected, [])


# A space typed inside an address: a word ending or starting with "@", or a lower-case word
# right before the address. Those pieces are reported together and no part of them is taken.
# (raw, addresses kept, entry reported, id)
SPACED = [
    ("delgado landscaping@gmail.com", [], "delgado landscaping@gmail.com", "inside-local-part"),
    ("jane@ gmail.com", [], "jane@ gmail.com", "after-at-sign"),
    ("jane @gmail.com", [], "jane @gmail.com", "before-at-sign"),
    ("a@x.com, delgado landscaping@gmail.com", ["a@x.com"], "delgado landscaping@gmail.com", "second-entry"),
    ("a@x.com delgado landscaping@gmail.com", ["a@x.com"], "delgado landscaping@gmail.com", "spaced-list"),
    ("delgado landscaping@gmail.com; Jane <jane@x.com>", ["jane@x.com"], "delgado landscaping@gmail.com", "named-cell"),
    ("Jane <delgado landscaping@gmail.com>", [], "delgado landscaping@gmail.com", "inside-angle-brackets"),
]


@pytest.mark.parametrize(
    ("raw", "kept", "bad"),
    [
        pytest.param("john@x", [], "john@x", id="no-dot-in-domain"),
        pytest.param("johnsmith", [], "johnsmith", id="no-at-sign"),
        pytest.param("john at gmail dot com", [], "john at gmail dot com", id="spelled-out"),
        pytest.param("a..b@x.com", [], "a..b@x.com", id="two-dots"),
        pytest.param("a@@x.com", [], "a@@x.com", id="two-at-signs"),
        pytest.param("a@b.local", [], "a@b.local", id="special-use-domain"),
        pytest.param("a@x.com, janeatgmail.com", ["a@x.com"], "janeatgmail.com", id="bad-one-dropped-good-kept"),
        pytest.param("bad@, good@y.com", ["good@y.com"], "bad@", id="bad-first-good-becomes-primary"),
        *[pytest.param(raw, kept, bad, id=f"space-{id_}") for raw, kept, bad, id_ in SPACED],
    ],
)
def test_clean_emails_invalid(raw, kept, bad):
    emails, problems = clean_emails(raw)
    assert emails == kept
    assert [p.code for p in problems] == ["invalid_email"]
    assert f'"{bad}" is not a valid email address' in problems[0].message


@pytest.mark.parametrize(("raw", "kept", "bad", "id_"), SPACED, ids=[case[3] for case in SPACED])
def test_a_space_inside_an_address_is_named_as_the_reason(raw, kept, bad, id_):
    _, problems = clean_emails(raw)
    assert f'"{bad}" is not a valid email address (it contains a space' in problems[0].message


def test_each_invalid_email_is_its_own_problem():
    emails, problems = clean_emails("x@, ok@y.com, y@")
    assert emails == ["ok@y.com"]
    assert len(problems) == 2


def test_a_huge_junk_cell_gives_a_short_message():
    _, problems = clean_emails("x" * 5000 + "@")
    assert len(problems[0].message) < 200



# Addresses on both sides of the common shape that is validated by its domain alone: each must
# come out exactly as email-validator says, or be refused with its reason.
VALIDATOR_EDGES = [
    "a@B.COM", "user+tag@Gmail.Com", "a_b%c@d.e-f.org", "x..y@a.com", ".x@a.com", "x.@a.com", "a@-a.com",
    "a@a-.com", "a@a..com", "a@.com", "a@123.456", "a@localhost", "a@x.test", "a@x.invalid", "a@x.local",
    "a@a.b", "a@ab--cd.com", "a@xn--abc.com", "a@xn--nxasmq6b.com", "a@1.2.3.4", "A@b.Museum", "a@b.c-",
    "a" * 64 + "@a.com", "a" * 65 + "@a.com", "a@" + "b" * 63 + ".com", "a@" + "b" * 64 + ".com",
    "a" * 60 + "@" + ".".join(["b" * 60] * 3) + ".com", "a@" + ".".join(["b" * 60] * 5) + ".com",
    "josé@x.com", "a@bücher.de",
]


@pytest.mark.parametrize("address", VALIDATOR_EDGES)
def test_an_address_comes_out_as_the_validator_says(address):
    from email_validator import EmailNotValidError, validate_email

    try:
        expected = [validate_email(address, check_deliverability=False).normalized]
    except EmailNotValidError:
        expected = []
    emails, problems = clean_emails(address)
    assert emails == expected
    assert bool(problems) == (not expected)
