"""Settings > Custom fields: how many records use each field, deleting several at once with a
confirmation that counts their values, and merging one field into another."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm import services
from crm.custom_fields import MergeRefused, custom_field_merge, custom_field_usage
from crm.models import Account, Contact, CustomField
from crm.permissions import actor_for
from tests.actors import owner_of

pytestmark = pytest.mark.django_db


def field(firm, name, applies_to="account", field_type="text", options=None):
    return services.custom_field_create(firm=firm, applies_to=applies_to, name=name, field_type=field_type,
                                        options=options)


def account(firm, name, **values):
    return services.account_create(actor=owner_of(firm), name=name, custom_values=values)


@pytest.fixture
def dob_fields(firm):
    dob, birth = field(firm, "DOB", field_type="date"), field(firm, "Date of birth", field_type="date")
    account(firm, "Only DOB", **{dob.value_key: "1970-01-02"})
    account(firm, "Both differ", **{dob.value_key: "1980-05-05", birth.value_key: "1981-06-06"})
    account(firm, "Both same", **{dob.value_key: "1990-09-09", birth.value_key: "1990-09-09"})
    account(firm, "Only birth", **{birth.value_key: "2000-01-01"})
    account(firm, "Neither")
    return dob, birth


def values_of(name):
    return Account.objects.get(name=name).custom_values


# --- Used by ---------------------------------------------------------------------------------------


def test_the_page_shows_how_many_records_use_each_field_in_one_query_per_kind(owner_client, firm, dob_fields):
    dob, birth = dob_fields
    phone = field(firm, "Mobile", applies_to="contact")
    services.contact_create(actor=owner_of(firm), first_name="A", custom_values={phone.value_key: "+15550100"})
    with CaptureQueriesContext(connection) as queries:
        assert custom_field_usage([dob, birth, phone]) == {dob.pk: 3, birth.pk: 3, phone.pk: 1}
    assert len(queries) == 2
    html = owner_client.get(reverse("crm:settings_custom_fields")).content.decode()
    assert re.search(rf'data-usage="{dob.pk}">3 accounts<', html)
    assert re.search(rf'data-usage="{phone.pk}">1 contact<', html)


def test_another_firms_records_are_not_counted(firm, other_firm, dob_fields):
    dob, _birth = dob_fields
    other = services.account_create(actor=owner_of(other_firm), name="Elsewhere")
    Account.objects.filter(pk=other.pk).update(custom_values={dob.value_key: "1999-01-01"})
    assert custom_field_usage([dob])[dob.pk] == 3


# --- Delete in bulk -------------------------------------------------------------------------------


def test_deleting_selected_fields_confirms_with_counts_then_deletes_them_and_their_values(owner_client, firm,
                                                                                       dob_fields):
    dob, birth = dob_fields
    keep = field(firm, "Keep me")
    page = owner_client.post(reverse("crm:custom_fields_delete"), {"field": [dob.pk, birth.pk]})
    html = page.content.decode()
    assert "Delete 2 custom fields?" in html and "3 accounts hold a value" in html and "6 values in all" in html
    assert CustomField.objects.filter(pk__in=[dob.pk, birth.pk]).count() == 2  # asking deletes nothing

    owner_client.post(reverse("crm:custom_fields_delete"), {"field": [dob.pk, birth.pk], "confirm": "yes"})
    assert list(CustomField.objects.filter(firm=firm)) == [keep]
    assert all(a.custom_values == {} for a in Account.objects.filter(firm=firm))


def test_bulk_delete_ignores_another_firms_fields(owner_client, other_firm):
    theirs = field(other_firm, "Theirs")
    response = owner_client.post(reverse("crm:custom_fields_delete"), {"field": [theirs.pk], "confirm": "yes"})
    assert response.status_code == 302
    assert CustomField.objects.filter(pk=theirs.pk).exists()


def test_bulk_delete_with_nothing_selected_says_so(owner_client):
    response = owner_client.post(reverse("crm:custom_fields_delete"), {}, follow=True)
    assert "none was selected" in response.content.decode()


def test_members_cannot_delete_or_merge_fields(client, firm, manager, dob_fields):
    dob, birth = dob_fields
    client.force_login(manager)
    assert client.post(reverse("crm:custom_fields_delete"), {"field": [dob.pk], "confirm": "yes"}).status_code == 403
    assert client.post(reverse("crm:custom_fields_merge"),
                       {"source": dob.pk, "target": birth.pk, "confirm": "yes"}).status_code == 403
    assert CustomField.objects.filter(pk=dob.pk).exists()


# --- Merge ----------------------------------------------------------------------------------------


def test_merging_moves_values_where_the_target_is_empty_and_keeps_the_targets_in_conflicts(firm, dob_fields):
    dob, birth = dob_fields
    result = custom_field_merge(actor=owner_of(firm), source=dob, target=birth)
    assert (result.moved, result.same, result.conflict_count) == (1, 1, 1)
    assert [(c.record, c.source_value, c.target_value) for c in result.conflicts] == [
        ("Both differ", "1980-05-05", "1981-06-06")]
    assert values_of("Only DOB") == {birth.value_key: "1970-01-02"}
    assert values_of("Both differ") == {birth.value_key: "1981-06-06"}
    assert values_of("Both same") == {birth.value_key: "1990-09-09"}
    assert values_of("Only birth") == {birth.value_key: "2000-01-01"}
    assert not CustomField.objects.filter(pk=dob.pk).exists()


def test_the_merge_page_previews_then_merges_and_lists_the_conflicts(owner_client, firm, dob_fields):
    dob, birth = dob_fields
    merge = reverse("crm:custom_fields_merge")
    preview = owner_client.post(merge, {"source": dob.pk, "target": birth.pk}).content.decode()
    assert 'data-testid="merge-preview"' in preview and "1 value will move" in preview
    assert "Both differ" in preview
    assert CustomField.objects.filter(pk=dob.pk).exists() and values_of("Only DOB") == {dob.value_key: "1970-01-02"}

    done = owner_client.post(merge, {"source": dob.pk, "target": birth.pk, "confirm": "yes"}).content.decode()
    assert 'data-testid="merge-done"' in done and "1981-06-06" in done
    assert not CustomField.objects.filter(pk=dob.pk).exists()


@pytest.mark.parametrize("case", ["itself", "other records", "other type"])
def test_merges_that_cannot_work_are_refused_with_the_reason(owner_client, firm, dob_fields, case):
    dob, birth = dob_fields
    target = {"itself": dob, "other records": field(firm, "Born", applies_to="contact", field_type="date"),
              "other type": field(firm, "Score", field_type="number")}[case]
    with pytest.raises(MergeRefused):
        custom_field_merge(actor=owner_of(firm), source=dob, target=target)
    html = owner_client.post(reverse("crm:custom_fields_merge"),
                             {"source": dob.pk, "target": target.pk, "confirm": "yes"}).content.decode()
    assert 'class="form-errors"' in html
    assert CustomField.objects.filter(pk=dob.pk).exists()


def test_values_merged_into_a_text_field_become_text(firm):
    vip, notes = field(firm, "VIP", field_type="yes_no"), field(firm, "Notes")
    account(firm, "Acme", **{vip.value_key: True})
    custom_field_merge(actor=owner_of(firm), source=vip, target=notes)
    assert values_of("Acme") == {notes.value_key: "Yes"}


def test_a_dropdown_target_gains_the_options_of_the_merged_field(firm):
    old = field(firm, "Entity", field_type="dropdown", options=["LLC", "S corp"])
    new = field(firm, "Entity type", field_type="dropdown", options=["LLC", "C corp"])
    account(firm, "Acme", **{old.value_key: "S corp"})
    custom_field_merge(actor=owner_of(firm), source=old, target=new)
    new.refresh_from_db()
    assert new.options == ["LLC", "C corp", "S corp"] and values_of("Acme") == {new.value_key: "S corp"}


def test_another_firms_field_cannot_be_merged_through_the_page(owner_client, firm, other_firm, dob_fields):
    dob, _birth = dob_fields
    theirs = field(other_firm, "Theirs", field_type="date")
    html = owner_client.post(reverse("crm:custom_fields_merge"),
                             {"source": theirs.pk, "target": dob.pk, "confirm": "yes"}).content.decode()
    assert "Choose the field to merge" in html
    assert CustomField.objects.filter(pk=theirs.pk).exists()


def test_a_contact_field_merges_on_contacts(firm):
    mobile, cell = field(firm, "Mobile", applies_to="contact"), field(firm, "Cell", applies_to="contact")
    contact = services.contact_create(actor=owner_of(firm), first_name="Al", custom_values={mobile.value_key: "555"})
    custom_field_merge(actor=owner_of(firm), source=mobile, target=cell)
    assert Contact.objects.get(pk=contact.pk).custom_values == {cell.value_key: "555"}


# --- Settings > Team: admins can import ------------------------------------------------------------


def test_team_page_shows_owners_and_admins_as_able_to_import(owner_client, firm, admin_user, plain_member):
    html = owner_client.get(reverse("crm:settings_team")).content.decode()
    admin = actor_for(firm, admin_user)
    member = actor_for(firm, plain_member)
    admin_box = re.search(rf'<input[^>]*data-testid="manage-contacts-{admin.pk}"[^>]*>', html).group(0)
    member_box = re.search(rf'<input[^>]*data-testid="manage-contacts-{member.pk}"[^>]*>', html).group(0)
    assert "checked" in admin_box and "disabled" in admin_box
    assert "disabled" not in member_box and "checked" not in member_box
    assert "Owners and admins always can" in html
