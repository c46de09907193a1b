"""A batch's lookups of existing records (imports/existing.py): on PostgreSQL each key kind is
one array (`= ANY`), written by hand; every key must find exactly its own records, whatever
characters it holds."""

from __future__ import annotations

import pytest

from crm.models import Account
from imports import existing

AWKWARD_KEYS = ['o\'brien "the elder"', "back\\slash", "comma, and {braces}", "NULL", "", " spaced ",
                "zoë ångström 東京", "tab\there"]


@pytest.mark.django_db
def test_every_key_finds_exactly_its_own_records(firm, other_firm):
    # Stored keys as they are (save() would normalise them): bulk_create skips save().
    Account.objects.bulk_create([Account(firm=owner_firm, name=key or "-", name_key=key)
                                 for key in AWKWARD_KEYS for owner_firm in (firm, other_firm)])
    Account.objects.create(firm=firm, name="Not asked")
    asked = [*AWKWARD_KEYS, "nobody by this name"]
    found = existing._select(Account, ("id", "name_key"), "firm_id = %s AND name_key IN {}", asked, params=[firm.pk])
    assert sorted(key for _, key in found) == sorted(AWKWARD_KEYS)
    ids = [pk for pk, _ in found]
    by_id = existing._select(Account, ("id", "firm_id"), "id IN {} AND name_key IN {}", ids, ["NULL", "back\\slash"])
    assert len(by_id) == 2 and {firm_id for _, firm_id in by_id} == {firm.pk}
