"""crm 0013: an "activated" invitation is now "accepted", with its date kept."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture
def migrate_to(transactional_db):
    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_activated_links_become_accepted_with_their_date(migrate_to):
    apps = migrate_to([("crm", "0012_portal_user_and_account_history")])
    Firm, Account, Contact, Link = (apps.get_model("crm", n) for n in ("Firm", "Account", "Contact", "AccountContact"))
    firm = Firm.objects.create(name="Old Firm", slug="old-firm")
    account = Account.objects.create(firm=firm, name="Smith", name_key="smith")
    when = datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)
    activated = Link.objects.create(account=account, login=True, invitation="activated", activated_at=when,
                                    contact=Contact.objects.create(firm=firm, first_name="A", email_key="a@x.test"))
    invited = Link.objects.create(account=account, login=True, invitation="invited", invited_at=when,
                                  contact=Contact.objects.create(firm=firm, first_name="B", email_key="b@x.test"))

    apps = migrate_to([("crm", "0013_portal_invitations")])
    Link = apps.get_model("crm", "AccountContact")
    assert (Link.objects.get(pk=activated.pk).invitation, Link.objects.get(pk=activated.pk).accepted_at) == (
        "accepted", when)
    assert Link.objects.get(pk=invited.pk).invitation == "invited"
    assert Link.objects.get(pk=invited.pk).invitation_attempts == 0
