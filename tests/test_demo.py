"""`clientport demo`: idempotent, local only, and its login always works."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from crm.models import (
    Account,
    AccountContact,
    AccountRole,
    AccountRoleAssignment,
    Contact,
    CustomField,
    Firm,
    FolderTemplate,
    Membership,
    Tag,
    User,
)
from crm.permissions import can_import

MODELS = [
    Firm, User, Membership, Account, Contact, AccountContact, Tag, CustomField, AccountRole,
    AccountRoleAssignment, FolderTemplate,
]


@pytest.fixture
def debug_on(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path / "var"
    settings.STATIC_ROOT = tmp_path / "var" / "static"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    return settings


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_twice_duplicates_nothing(db, debug_on):
    run_demo()
    first = counts()
    run_demo()
    assert counts() == first
    assert first["Firm"] == 1 and first["Account"] >= 5 and first["Contact"] >= 5


def test_demo_firm_has_what_an_import_needs(db, debug_on):
    run_demo()
    firm = Firm.objects.get(slug="demo")
    assert firm.name == "Demo Tax & Accounting"
    assert set(AccountRole.objects.filter(firm=firm).values_list("name", flat=True)) >= {"Tax preparer", "Reviewer"}
    assert FolderTemplate.objects.filter(firm=firm, is_builtin=False).exists()
    for applies_to in CustomField.AppliesTo.values:
        kinds = set(CustomField.objects.filter(firm=firm, applies_to=applies_to).values_list("field_type", flat=True))
        assert len(kinds) >= 3, applies_to

    members = {m.user.email: m for m in Membership.objects.filter(firm=firm).select_related("user")}
    assert members["owner@demo.example"].role == Membership.Role.OWNER
    assert [email for email, m in members.items() if m.role == Membership.Role.ADMIN]
    importers = {email for email, m in members.items() if m.role == Membership.Role.MEMBER and can_import(m)}
    lookers = {email for email, m in members.items() if m.role == Membership.Role.MEMBER and not can_import(m)}
    assert importers and lookers

    # New accounts got the firm's default folders; a company got the second template.
    chen = Account.objects.get(firm=firm, name="Robert & Linda Chen")
    assert chen.folders == firm.default_folder_template.folder_paths() and chen.contact_links.count() == 2


def test_demo_resets_the_demo_password_so_the_login_works(db, debug_on):
    run_demo()
    owner = User.objects.get(email="owner@demo.example")
    owner.set_password("something else entirely")
    owner.save()

    run_demo()
    assert authenticate(HttpRequest(), username="owner@demo.example", password="clientport-demo") == owner


def test_demo_copies_the_sample_client_list_and_says_where(db, debug_on):
    output = run_demo()
    sample = debug_on.VAR_DIR / "demo" / "sample-clients.csv"
    assert sample.read_text(encoding="utf-8").startswith("Client ID,Account Name,")
    assert str(sample) in output
    assert "/login/" in output and "owner@demo.example" in output and "clientport-demo" in output


def test_demo_has_a_client_who_accepted_the_portal_invitation_and_can_sign_in(db, debug_on, client):
    output = run_demo()
    assert "/portal/login/" in output and "robert.chen@example.com" in output
    run_demo()  # again: still one document, still signed in with the demo password
    user = authenticate(HttpRequest(), username="robert.chen@example.com", password="clientport-demo")
    assert user is not None
    chen = Account.objects.get(firm__slug="demo", name="Robert & Linda Chen")
    link = chen.contact_links.get(contact__email="robert.chen@example.com")
    assert link.invitation == AccountContact.Invitation.ACCEPTED and link.contact.portal_user == user
    assert chen.documents.count() == 1

    client.force_login(user)
    page = client.get("/portal/", follow=True).content.decode()
    assert "Robert &amp; Linda Chen" in page and "Welcome to the portal.txt" in page


def test_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run_demo()
    assert not Firm.objects.exists()
