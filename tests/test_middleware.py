"""Pages of a signed-in user are never stored by a browser or a proxy."""

from django.urls import reverse

from crm import services
from tests.actors import owner_of


def test_signed_in_pages_are_sent_with_no_store(owner_client, firm):
    account = services.account_create(actor=owner_of(firm), name="Acme LLC", folder_template=None)
    for url in (reverse("crm:account_list"), reverse("crm:account_detail", args=[account.pk]),
                reverse("crm:settings"), reverse("imports:history")):
        response = owner_client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_public_pages_keep_their_own_caching(client, db):
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
