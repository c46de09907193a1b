"""Portal isolation over every URL: a client reaches only their own accounts' pages and the
documents they may see; another client's or another firm's ids are 404; team members who are not
clients are turned away from the portal, and clients from the team's pages. The team's document
URLs are scoped by firm like every CRM page."""

import pytest
from django.urls import reverse

from crm.models import AccountContact
from crm.services import member_add
from portal.models import Document
from tests.actors import owner_of
from tests.portal.conftest import upload

# (url name, args from a client's world): the client's pages.
CLIENT_GETS = [
    ("portal:account", lambda w: [w.account.pk]),
    ("portal:details", lambda w: [w.account.pk]),
    ("portal:download", lambda w: [w.account.pk, w.shared.pk]),
    ("portal:download", lambda w: [w.account.pk, w.uploaded.pk]),
]
CLIENT_POSTS = [
    ("portal:upload", lambda w: [w.account.pk], lambda w: {"folder": "", "files": [upload("sneaky.pdf")]}),
    ("portal:details", lambda w: [w.account.pk], lambda w: {"first_name": "Mallory", "last_name": "X"}),
]


def ids(cases):
    return [f"{case[0]}-{n}" for n, case in enumerate(cases)]


def nothing_changed(world):
    world.contact.refresh_from_db()
    assert world.contact.first_name != "Mallory"
    assert not Document.objects.filter(original_name="sneaky.pdf").exists()


@pytest.mark.parametrize("name,args", CLIENT_GETS, ids=ids(CLIENT_GETS))
def test_every_client_page_opens_for_its_client(ana_client, ana, name, args):
    assert ana_client.get(reverse(name, args=args(ana))).status_code == 200


@pytest.mark.parametrize("name,args", CLIENT_GETS, ids=ids(CLIENT_GETS))
def test_anonymous_is_sent_to_the_portal_sign_in(client, ana, name, args):
    url = reverse(name, args=args(ana))
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login") + "?next=")


@pytest.mark.parametrize("name,args", CLIENT_GETS, ids=ids(CLIENT_GETS))
def test_another_clients_ids_are_404(ana_client, ben, name, args):
    assert ana_client.get(reverse(name, args=args(ben))).status_code == 404


@pytest.mark.parametrize("name,args", CLIENT_GETS, ids=ids(CLIENT_GETS))
def test_another_firms_ids_are_404(ana_client, carla, name, args):
    assert ana_client.get(reverse(name, args=args(carla))).status_code == 404


@pytest.mark.parametrize("name,args,data", CLIENT_POSTS, ids=ids(CLIENT_POSTS))
def test_posts_with_another_clients_or_firms_ids_are_404_and_change_nothing(ana_client, ben, carla, name, args,
                                                                           data):
    for world in (ben, carla):
        assert ana_client.post(reverse(name, args=args(world)), data(world)).status_code == 404
        nothing_changed(world)


def test_a_document_of_another_account_through_ones_own_account_is_404(ana_client, ana, ben):
    for document in (ben.shared, ben.uploaded):
        assert ana_client.get(reverse("portal:download", args=[ana.account.pk, document.pk])).status_code == 404


def test_an_internal_document_is_404_for_the_client(ana_client, ana):
    response = ana_client.get(reverse("portal:download", args=[ana.account.pk, ana.internal.pk]))
    assert response.status_code == 404


def test_turning_login_off_closes_the_account_at_once(ana_client, ana):
    AccountContact.objects.filter(pk=ana.link.pk).update(login=False)
    for name, args in CLIENT_GETS:
        assert ana_client.get(reverse(name, args=args(ana))).status_code in (403, 404)
    assert ana_client.get(reverse("portal:home")).status_code == 403


def test_one_client_on_two_accounts_sees_both_and_a_switcher(ana_client, ana, ben):
    AccountContact.objects.create(account=ben.account, contact=ana.contact, login=True)
    home = ana_client.get(reverse("portal:home"))
    assert home.status_code == 200
    page = home.content.decode()
    assert "Rivera Household" in page and "Okafor LLC" in page
    assert ana_client.get(reverse("portal:account", args=[ben.account.pk])).status_code == 200
    # ...while Ben's own contact details stay his: the details page edits Ana's contact.
    details = ana_client.get(reverse("portal:details", args=[ben.account.pk])).content.decode()
    assert 'value="Ana"' in details and 'value="Ben"' not in details


def test_a_single_account_client_goes_straight_to_it(ana_client, ana):
    response = ana_client.get(reverse("portal:home"))
    assert response.status_code == 302 and response.url == reverse("portal:account", args=[ana.account.pk])


@pytest.mark.parametrize("name,args", CLIENT_GETS, ids=ids(CLIENT_GETS))
def test_a_team_member_who_is_not_a_client_is_told_the_portal_is_for_clients(owner_client, ana, name, args):
    response = owner_client.get(reverse(name, args=args(ana)))
    assert response.status_code == 403
    page = response.content.decode()
    assert "The portal is for clients" in page and reverse("crm:account_list") in page


def test_a_team_member_who_is_also_a_client_uses_both(client, firm, ana):
    member_add(actor=owner_of(firm), email=ana.user.email, full_name="Ana Rivera", can_manage_contacts=True)
    client.force_login(ana.user)
    assert client.get(reverse("portal:account", args=[ana.account.pk])).status_code == 200
    assert client.get(reverse("crm:account_list")).status_code == 200
    assert client.get(reverse("crm:account_detail", args=[ana.account.pk])).status_code == 200


# The team's pages a client might try: all send a plain client to the portal.
TEAM_PAGES = [
    ("crm:account_list", lambda w: []),
    ("crm:account_detail", lambda w: [w.account.pk]),
    ("crm:contact_detail", lambda w: [w.contact.pk]),
    ("crm:account_edit", lambda w: [w.account.pk]),
    ("crm:settings", lambda w: []),
    ("imports:start", lambda w: []),
    ("documents:download", lambda w: [w.account.pk, w.internal.pk]),
]


@pytest.mark.parametrize("name,args", TEAM_PAGES, ids=ids(TEAM_PAGES))
def test_a_client_on_team_pages_is_sent_to_the_portal(ana_client, ana, name, args):
    response = ana_client.get(reverse(name, args=args(ana)))
    assert response.status_code == 302 and response.url == reverse("portal:home")


def test_a_client_cannot_use_the_teams_document_actions(ana_client, ana):
    for name in ("documents:share", "documents:delete"):
        response = ana_client.post(reverse(name, args=[ana.account.pk, ana.internal.pk]), {"shared": "on"})
        assert response.status_code == 302 and response.url == reverse("portal:home")
    ana.internal.refresh_from_db()
    assert not ana.internal.shared
    response = ana_client.post(reverse("documents:upload", args=[ana.account.pk]),
                               {"folder": "", "files": [upload("sneaky.pdf")], "shared": "on"})
    assert response.status_code == 302 and not Document.objects.filter(original_name="sneaky.pdf").exists()


# --- The team's document URLs -------------------------------------------------------------------

TEAM_DOCUMENT_POSTS = [
    ("documents:share", lambda w: [w.account.pk, w.internal.pk], lambda w: {"shared": "on"}),
    ("documents:delete", lambda w: [w.account.pk, w.internal.pk], lambda w: {}),
    ("documents:upload", lambda w: [w.account.pk], lambda w: {"folder": "", "files": [upload("sneaky.pdf")]}),
]


def test_the_team_download_of_another_firms_document_is_404(owner_client, carla, ana):
    url = reverse("documents:download", args=[carla.account.pk, carla.shared.pk])
    assert owner_client.get(url).status_code == 404
    # Nor through one's own account.
    assert owner_client.get(reverse("documents:download", args=[ana.account.pk, carla.shared.pk])).status_code == 404


def test_a_document_of_another_account_of_the_firm_is_404_through_the_wrong_account(owner_client, ana, ben):
    assert owner_client.get(reverse("documents:download", args=[ana.account.pk, ben.internal.pk])).status_code == 404


@pytest.mark.parametrize("name,args,data", TEAM_DOCUMENT_POSTS, ids=ids(TEAM_DOCUMENT_POSTS))
def test_the_team_actions_on_another_firms_ids_are_404(owner_client, carla, name, args, data):
    assert owner_client.post(reverse(name, args=args(carla)), data(carla)).status_code == 404
    carla.internal.refresh_from_db()
    assert not carla.internal.shared
    assert not Document.objects.filter(original_name="sneaky.pdf").exists()


@pytest.mark.parametrize("name,args,data", TEAM_DOCUMENT_POSTS, ids=ids(TEAM_DOCUMENT_POSTS))
def test_a_plain_member_may_download_but_not_change(client, plain_member, ana, name, args, data):
    client.force_login(plain_member)
    assert client.get(reverse("documents:download", args=[ana.account.pk, ana.internal.pk])).status_code == 200
    assert client.post(reverse(name, args=args(ana)), data(ana)).status_code == 403
    ana.internal.refresh_from_db()
    assert not ana.internal.shared and Document.objects.filter(pk=ana.internal.pk).exists()


@pytest.mark.parametrize("name,args,data", TEAM_DOCUMENT_POSTS, ids=ids(TEAM_DOCUMENT_POSTS))
def test_anonymous_team_document_actions_go_to_the_team_sign_in(client, ana, name, args, data):
    response = client.post(reverse(name, args=args(ana)), data(ana))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
