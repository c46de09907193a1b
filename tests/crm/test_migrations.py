"""Data migrations keep what firms already have."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("crm", "0004_fewer_indexes_written_per_row")]
AFTER = [("crm", "0005_account_folders_as_paths")]


@pytest.fixture
def migrate_to(transactional_db):
    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_folder_rows_become_the_accounts_folder_paths_in_order(migrate_to):
    apps = migrate_to(BEFORE)
    Firm, Account, Folder = (apps.get_model("crm", name) for name in ("Firm", "Account", "Folder"))
    firm = Firm.objects.create(name="Old Firm", slug="old-firm")
    smith = Account.objects.create(firm=firm, name="Smith", name_key="smith")
    bare = Account.objects.create(firm=firm, name="Bare", name_key="bare")
    for path in ["2025", "2024", "Permanent"]:
        Folder.objects.create(account=smith, path=path)

    apps = migrate_to(AFTER)
    Account = apps.get_model("crm", "Account")
    assert Account.objects.get(pk=smith.pk).folders == ["2024", "2025", "Permanent"]
    assert Account.objects.get(pk=bare.pk).folders == []


def test_contacts_without_email_get_a_null_email_key_and_stay_many(migrate_to):
    apps = migrate_to([("crm", "0005_account_folders_as_paths")])
    Firm, Contact = apps.get_model("crm", "Firm"), apps.get_model("crm", "Contact")
    firm = Firm.objects.create(name="Old Firm", slug="old-firm")
    Contact.objects.create(firm=firm, first_name="A", email_key="")
    Contact.objects.create(firm=firm, first_name="B", email_key="")
    Contact.objects.create(firm=firm, first_name="C", email="c@example.com", email_key="c@example.com")

    apps = migrate_to([("crm", "0006_contact_email_key_null_without_email")])
    Contact = apps.get_model("crm", "Contact")
    assert sorted(Contact.objects.values_list("first_name", "email_key")) == [
        ("A", None), ("B", None), ("C", "c@example.com")
    ]
