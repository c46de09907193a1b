"""Saved filters: a named query string of a client list, shared by the whole firm."""

import pytest
from django.test import Client
from django.urls import reverse

from crm import services
from crm.models import SavedFilter
from tests.actors import owner_of

LIST = reverse("crm:account_list")
SAVE = reverse("crm:saved_filter_save", args=["accounts"])


@pytest.fixture
def vip(firm):
    return services.tag_get_or_create(firm=firm, name="VIP")


def test_save_the_current_filter_and_everyone_in_the_firm_can_apply_it(owner_client, firm, vip, manager):
    client = Client()
    services.account_create(actor=owner_of(firm), name="Smith Co", type="company", tags=[vip], folder_template=None)
    services.account_create(actor=owner_of(firm), name="Jones", folder_template=None)
    page = owner_client.get(LIST, {"tag": vip.pk, "type": "company", "sort": "-name"}).content.decode()
    assert "Save filter" in page
    response = owner_client.post(SAVE, {"name": "VIP companies",
                                        "filter": f"tag={vip.pk}&type=company&sort=-name&page=3&junk=1"},
                                 follow=True)
    assert "Filter “VIP companies” saved" in response.content.decode()
    saved = SavedFilter.objects.get(firm=firm)
    assert saved.query == f"tag={vip.pk}&type=company&sort=-name"  # the page and unknown keys are not kept
    client.force_login(manager)
    page = client.get(LIST).content.decode()
    assert f'href="?tag={vip.pk}&amp;type=company&amp;sort=-name">VIP companies</a>' in page
    applied = client.get(LIST + "?" + saved.query)
    assert [a.name for a in applied.context["accounts"]] == ["Smith Co"]
    assert 'aria-current="true">VIP companies' in applied.content.decode()


def test_a_name_is_needed_and_unique_per_list(owner_client, firm):
    response = owner_client.post(SAVE, {"name": "  ", "filter": "q=smith"}, follow=True)
    assert "Give the filter a name." in response.content.decode()
    owner_client.post(SAVE, {"name": "Smiths", "filter": "q=smith"})
    response = owner_client.post(SAVE, {"name": "Smiths", "filter": "q=smythe"}, follow=True)
    assert "A saved filter named “Smiths” already exists" in response.content.decode()
    response = owner_client.post(SAVE, {"name": "Nothing", "filter": "page=2"}, follow=True)
    assert "there is no filter to save" in response.content.decode()
    # The contacts list has its own names.
    owner_client.post(reverse("crm:saved_filter_save", args=["contacts"]), {"name": "Smiths", "filter": "q=smith"})
    assert SavedFilter.objects.filter(firm=firm, name="Smiths").count() == 2


def test_only_who_saved_it_or_an_admin_deletes_it(owner_client, firm, manager, plain_member):
    client = Client()
    client.force_login(manager)
    client.post(SAVE, {"name": "Mine", "filter": "q=a"})
    saved = SavedFilter.objects.get(name="Mine")
    delete = reverse("crm:saved_filter_delete", args=[saved.pk])
    client.force_login(plain_member)
    assert "Mine" in client.get(LIST).content.decode()  # seen by the whole firm
    assert client.post(delete).status_code == 403
    assert owner_client.post(delete).status_code == 302  # the owner may
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_another_firms_saved_filter_is_404_and_never_listed(owner_client, firm, other_firm, other_owner):
    client = Client()
    owner_client.post(SAVE, {"name": "Alpha only", "filter": "q=a"})
    saved = SavedFilter.objects.get()
    client.force_login(other_owner)
    assert "Alpha only" not in client.get(LIST).content.decode()
    assert client.post(reverse("crm:saved_filter_delete", args=[saved.pk])).status_code == 404
    assert client.post(reverse("crm:saved_filter_save", args=["nonsense"]), {"name": "x"}).status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


def test_saving_needs_a_signed_in_member(client, firm):
    response = client.post(SAVE, {"name": "x", "filter": "q=a"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not SavedFilter.objects.exists()
