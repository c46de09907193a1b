"""A client of each firm: a portal user whose contact is on an account with Login on (as an
accepted invitation leaves it), and documents in the account's folders."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from crm import services
from crm.models import Account, AccountContact, Contact, User
from portal import services as portal_services
from portal.models import Document
from tests.actors import owner_of
from tests.conftest import make_user

PASSWORD = "correct horse battery staple"
FOLDERS = ["2025", "2025/Tax return", "Payroll"]


@dataclass
class ClientWorld:
    account: Account
    contact: Contact
    link: AccountContact
    user: User
    shared: Document  # a team document shared with the client
    internal: Document  # a team document kept internal
    uploaded: Document  # the client's own upload


def upload(name: str = "w2.pdf", content: bytes = b"%PDF-1.4 pretend", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_client(firm, email: str, *, account_name: str, full_name: str = "Ana Rivera") -> ClientWorld:
    actor = owner_of(firm)
    account = services.account_create(actor=actor, name=account_name, folder_template=None)
    account.folders = list(FOLDERS)
    account.save(update_fields=["folders"])
    first, _, last = full_name.partition(" ")
    contact = services.contact_create(actor=actor, account=account, first_name=first, last_name=last, email=email)
    user = make_user(email, full_name=full_name)
    contact.portal_user = user
    contact.save(update_fields=["portal_user"])
    link = AccountContact.objects.get(account=account, contact=contact)
    link.login = True
    link.save(update_fields=["login"])
    [shared] = portal_services.documents_upload_by_team(actor=actor, account=account, folder="2025/Tax return",
                                                        files=[upload("engagement.pdf")], shared=True)
    [internal] = portal_services.documents_upload_by_team(actor=actor, account=account, folder="2025",
                                                          files=[upload("internal notes.txt")], shared=False)
    [uploaded] = portal_services.documents_upload_by_client(user=user, link=link, folder="Payroll",
                                                            files=[upload("paystub.pdf")])
    return ClientWorld(account, contact, link, user, shared, internal, uploaded)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ana(firm):
    return make_client(firm, "ana@example.com", account_name="Rivera Household")


@pytest.fixture
def ben(firm):
    """Another client of the same firm."""
    return make_client(firm, "ben@example.com", account_name="Okafor LLC", full_name="Ben Okafor")


@pytest.fixture
def carla(other_firm):
    """A client of the other firm."""
    return make_client(other_firm, "carla@example.com", account_name="Carla's Bakery", full_name="Carla Diaz")


@pytest.fixture
def ana_client(ana):
    """Ana's own browser: a client of its own, so a test can also use the team's `client`."""
    client = Client()
    client.force_login(ana.user)
    return client
