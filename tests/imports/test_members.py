"""Which team member a value of an owner / assignee / preparer column means (imports.members):
the rule alone, without a database."""

import pytest

from imports.members import MemberDirectory, member_cell_names, member_value_key, unmatched_names

ANN, ADAM, BOB_STONE, BOB_SMITH, JOSE, NO_NAME = 1, 2, 3, 4, 5, 6
TEAM = MemberDirectory.build([
    (ANN, "ann.lee@firm.example", "Ann Lee"),
    (ADAM, "adam@firm.example", "Adam Marsh"),
    (BOB_STONE, "bob.stone@firm.example", "Bob Stone"),
    (BOB_SMITH, "bsmith@firm.example", "Bob Smith"),
    (JOSE, "jose@firm.example", "José Ángel Núñez"),
    (NO_NAME, "intern@firm.example", ""),
])


@pytest.mark.parametrize("value, member", [
    ("ann.lee@firm.example", ANN),
    ("ANN.LEE@FIRM.EXAMPLE ", ANN),
    ("Ann Lee <ann.lee@firm.example>", ANN),
    ("intern@firm.example", NO_NAME),  # a member without a name is found by email
    ("Ann Lee", ANN),
    ("ann lee", ANN),
    ("  ANN   LEE ", ANN),
    ("Lee, Ann", ANN),
    ("Jose Nunez", JOSE),  # accents left out
    ("Núñez, José", JOSE),
    ("JOSÉ ÁNGEL NÚÑEZ", JOSE),
    ("Ann Marie Lee", ANN),  # a middle name the firm did not type
    ("A. Lee", ANN),
    ("Lee, A.", ANN),
    ("Ann L.", ANN),
    ("Ann", ANN),
    ("adam", ADAM),
    ("B. Smith", BOB_SMITH),
    ("Bob Smith", BOB_SMITH),
])
def test_a_member_is_found_by_email_or_by_name_however_written(value, member):
    assert TEAM.find(value) == member


@pytest.mark.parametrize("value", [
    "Bob",  # two Bobs: naming either would be a guess
    "Bob Lee",  # a first and a family name of two different members
    "Lee",  # a family name alone names nobody for sure
    "Carol King",
    "carol@firm.example",
    "ann.lee@other.example",
    "",
    "   ",
    "12345",
])
def test_a_value_naming_nobody_for_sure_matches_nobody(value):
    assert TEAM.find(value) is None


def test_an_initial_shared_by_two_members_matches_nobody():
    team = MemberDirectory.build([(1, "ann@f.example", "Ann Lee"), (2, "al@f.example", "Alan Lee")])
    assert team.find("A. Lee") is None
    assert team.find("Ann Lee") == 1 and team.find("Alan") == 2


def test_two_members_with_one_full_name_are_told_apart_only_by_email():
    team = MemberDirectory.build([(1, "ann1@f.example", "Ann Lee"), (2, "ann2@f.example", "Ann Lee")])
    assert team.find("Ann Lee") is None
    assert team.find("ann2@f.example") == 2


def test_the_firms_choice_for_a_name_decides_it_and_nobody_is_a_decision():
    team = MemberDirectory.build([(1, "ann@f.example", "Ann Lee")])
    team.choices = {member_value_key("Annie"): 1, member_value_key("Former Partner"): None}
    assert team.resolve("ANNIE") == (1, True)
    assert team.resolve(" former  partner ") == (None, True)
    assert team.resolve("Ann Lee") == (1, True)
    assert team.resolve("Carol") == (None, False)


@pytest.mark.parametrize("cell, names", [
    ("Ann Lee; Bob Stone", ["Ann Lee", "Bob Stone"]),
    ("Lee, Ann", ["Lee, Ann"]),  # one person written family name first
    ("Lee, Ann; Stone, Bob", ["Lee, Ann", "Stone, Bob"]),
    ("Ann Lee, Bob Stone", ["Ann Lee", "Bob Stone"]),
    ("Ann, Adam", ["Ann", "Adam"]),  # both are members: two people
    ("Ann Lee, carol@x.example", ["Ann Lee", "carol@x.example"]),
    ("ann lee; Ann Lee", ["ann lee"]),
])
def test_an_assignees_cell_is_split_into_people(cell, names):
    assert TEAM.names_in(cell) == names


def test_a_role_cell_names_one_person_whatever_its_commas():
    assert member_cell_names(TEAM, "account.role", " Lee, Ann ") == ["Lee, Ann"]
    assert member_cell_names(TEAM, "account.role", "Ann Lee, CPA") == ["Ann Lee, CPA"]


def test_unmatched_names_are_listed_once_as_the_user_sees_them_with_their_rows():
    rows = iter([
        ["Ann Lee", "Carol King"],
        ["carol king", "Ann"],
        ["Dave; Ann Lee", "CAROL  KING"],
        ["", ""],
    ])
    found = unmatched_names(rows, [(0, "account.assignees"), (1, "account.role")], TEAM)
    assert [(n.name, n.rows) for n in found.names] == [("Carol King", 3), ("Dave", 1)]
    assert found.more is False


def test_unmatched_names_are_bounded_and_say_there_are_more():
    rows = iter([[f"Person {chr(65 + i)}{chr(65 + j)}"] for i in range(3) for j in range(26)])
    found = unmatched_names(rows, [(0, "account.assignees")], TEAM, limit=5)
    assert len(found.names) == 5 and found.more is True
