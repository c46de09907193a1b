"""Who may open which page: anonymous → login, plain member → read only, other firm → 404."""

import pytest
from django.urls import reverse

from crm import services
from crm.models import Membership
from tests.actors import owner_of


def make_world(firm, owner_user):
    """One object of every kind the pages address by id, in `firm`."""
    account = services.account_create(actor=owner_of(firm), name=f"Account of {firm.slug}", folder_template=None)
    contact = services.contact_create(actor=owner_of(firm), first_name="Pat", email=f"pat@{firm.slug}.example")
    link = services.contact_link(actor=owner_of(account), account=account, contact=contact)
    member = services.member_add(actor=owner_of(firm), email=f"someone@{firm.slug}.example")
    return {
        "account": account,
        "contact": contact,
        "link": link,
        "member": member,
        "owner": Membership.objects.get(firm=firm, user=owner_user),
        "tag": services.tag_get_or_create(firm=firm, name="T"),
        "field": services.custom_field_create(firm=firm, applies_to="account", name="F"),
        "role": services.account_role_get_or_create(firm=firm, name="R"),
        "template": services.folder_template_create(firm=firm, name="Extra", folders=["A"]),
    }


@pytest.fixture
def mine(firm, owner):
    return make_world(firm, owner)


@pytest.fixture
def theirs(other_firm, other_owner):
    return make_world(other_firm, other_owner)


# (url name, args from the world) — pages anyone in the firm may read.
READ_PAGES = [
    ("crm:account_list", lambda w: []),
    ("crm:account_detail", lambda w: [w["account"].pk]),
    ("crm:contact_list", lambda w: []),
    ("crm:contact_detail", lambda w: [w["contact"].pk]),
]
# Pages behind the Manage contacts right (GET renders a form).
EDITOR_PAGES = [
    ("crm:account_create", lambda w: []),
    ("crm:account_edit", lambda w: [w["account"].pk]),
    ("crm:account_merge_pick", lambda w: [w["account"].pk]),
    ("crm:contact_create", lambda w: []),
    ("crm:contact_edit", lambda w: [w["contact"].pk]),
    ("imports:start", lambda w: []),
]
EDITOR_POSTS = [
    ("crm:account_contact_add", lambda w: [w["account"].pk], lambda w: {"contact": w["contact"].pk}),
    (
        "crm:account_contact_switch",
        lambda w: [w["account"].pk, w["link"].pk],
        lambda w: {"field": "login", "value": "on"},
    ),
]
ADMIN_PAGES = [
    ("crm:settings", lambda w: []),
    ("crm:settings_team", lambda w: []),
    ("crm:settings_tags", lambda w: []),
    ("crm:settings_custom_fields", lambda w: []),
    ("crm:settings_roles", lambda w: []),
    ("crm:settings_folders", lambda w: []),
]
ADMIN_POSTS = [
    ("crm:member_update", lambda w: [w["member"].pk], lambda w: {"role": "admin"}),
    ("crm:member_deactivate", lambda w: [w["member"].pk], lambda w: {}),
    ("crm:member_reactivate", lambda w: [w["member"].pk], lambda w: {}),
    ("crm:tag_rename", lambda w: [w["tag"].pk], lambda w: {"name": "Renamed"}),
    ("crm:tag_delete", lambda w: [w["tag"].pk], lambda w: {}),
    ("crm:custom_field_delete", lambda w: [w["field"].pk], lambda w: {}),
    ("crm:role_delete", lambda w: [w["role"].pk], lambda w: {}),
    ("crm:folder_template_delete", lambda w: [w["template"].pk], lambda w: {}),
    ("crm:folder_template_default", lambda w: [], lambda w: {"template": "none"}),
]
ALL_GETS = READ_PAGES + EDITOR_PAGES + ADMIN_PAGES
ALL_POSTS = EDITOR_POSTS + ADMIN_POSTS


def ids(cases):
    return [case[0] for case in cases]


@pytest.mark.parametrize("name,args", ALL_GETS, ids=ids(ALL_GETS))
def test_every_page_renders_for_the_owner(owner_client, mine, name, args):
    response = owner_client.get(reverse(name, args=args(mine)))
    assert response.status_code == 200
    assert b"Alpha Tax &amp; Accounting" in response.content


@pytest.mark.parametrize("name,args", ALL_GETS, ids=ids(ALL_GETS))
def test_anonymous_is_sent_to_login(client, mine, name, args):
    url = reverse(name, args=args(mine))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name,args,data", ALL_POSTS, ids=ids(ALL_POSTS))
def test_anonymous_post_is_sent_to_login_and_changes_nothing(client, mine, name, args, data):
    response = client.post(reverse(name, args=args(mine)), data(mine))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    mine["tag"].refresh_from_db()
    assert mine["tag"].name == "T"


@pytest.mark.parametrize("name,args", READ_PAGES, ids=ids(READ_PAGES))
def test_plain_member_may_read(client, plain_member, mine, name, args):
    client.force_login(plain_member)
    assert client.get(reverse(name, args=args(mine))).status_code == 200


@pytest.mark.parametrize("name,args", EDITOR_PAGES + ADMIN_PAGES, ids=ids(EDITOR_PAGES + ADMIN_PAGES))
def test_plain_member_gets_403_on_write_pages(client, plain_member, mine, name, args):
    client.force_login(plain_member)
    url = reverse(name, args=args(mine))
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "X", "type": "other", "first_name": "X"}).status_code == 403


@pytest.mark.parametrize("name,args,data", ALL_POSTS, ids=ids(ALL_POSTS))
def test_plain_member_gets_403_on_every_write(client, plain_member, mine, name, args, data):
    client.force_login(plain_member)
    assert client.post(reverse(name, args=args(mine)), data(mine)).status_code == 403
    mine["link"].refresh_from_db()
    assert not mine["link"].login


@pytest.mark.parametrize("name,args", ADMIN_PAGES, ids=ids(ADMIN_PAGES))
def test_manage_contacts_right_does_not_open_settings(client, manager, mine, name, args):
    client.force_login(manager)
    assert client.get(reverse(name, args=args(mine))).status_code == 403


@pytest.mark.parametrize("name,args", EDITOR_PAGES, ids=ids(EDITOR_PAGES))
def test_manage_contacts_right_opens_editing(client, manager, mine, name, args):
    client.force_login(manager)
    assert client.get(reverse(name, args=args(mine))).status_code == 200


OBJECT_PAGES = {"crm:account_detail", "crm:contact_detail", "crm:account_edit", "crm:contact_edit",
                "crm:account_merge_pick"}
OBJECT_GETS = [case for case in ALL_GETS if case[0] in OBJECT_PAGES]
OBJECT_POSTS = [case for case in ALL_POSTS if case[0] != "crm:folder_template_default"]


@pytest.mark.parametrize("name,args", OBJECT_GETS, ids=ids(OBJECT_GETS))
def test_another_firms_object_is_404(owner_client, mine, theirs, name, args):
    assert owner_client.get(reverse(name, args=args(theirs))).status_code == 404


@pytest.mark.parametrize("name,args,data", OBJECT_POSTS, ids=ids(OBJECT_POSTS))
def test_another_firms_object_is_404_on_post(owner_client, mine, theirs, name, args, data):
    assert owner_client.post(reverse(name, args=args(theirs)), data(theirs)).status_code == 404
    theirs["tag"].refresh_from_db()
    assert theirs["tag"].name == "T"
    assert theirs["member"].__class__.objects.get(pk=theirs["member"].pk).is_active


def test_adding_another_firms_contact_to_my_account_is_404(owner_client, mine, theirs):
    url = reverse("crm:account_contact_add", args=[mine["account"].pk])
    assert owner_client.post(url, {"contact": theirs["contact"].pk}).status_code == 404
    assert not mine["account"].contacts.filter(pk=theirs["contact"].pk).exists()


def test_a_link_of_another_account_is_404(owner_client, firm, mine):
    other_account = services.account_create(actor=owner_of(firm), name="Other", folder_template=None)
    url = reverse("crm:account_contact_switch", args=[other_account.pk, mine["link"].pk])
    assert owner_client.post(url, {"field": "login", "value": "on"}).status_code == 404


def test_new_contact_for_another_firms_account_is_404(owner_client, mine, theirs):
    url = reverse("crm:contact_create") + f"?account={theirs['account'].pk}"
    assert owner_client.get(url).status_code == 404
    assert owner_client.get(reverse("crm:contact_create") + "?account=abc").status_code == 404


def test_user_without_a_firm_gets_403(client, db):
    from tests.conftest import make_user

    client.force_login(make_user("lonely@example.com"))
    assert client.get(reverse("crm:account_list")).status_code == 403


def test_get_on_a_post_only_url_is_refused(owner_client, mine):
    response = owner_client.get(reverse("crm:tag_delete", args=[mine["tag"].pk]))
    assert response.status_code == 405
    mine["tag"].refresh_from_db()


def test_posts_need_a_csrf_token(mine, owner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(reverse("crm:tag_delete", args=[mine["tag"].pk])).status_code == 403
    page = client.get(reverse("crm:settings_tags"))
    assert b'name="csrfmiddlewaretoken"' in page.content
