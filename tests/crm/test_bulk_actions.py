"""The client lists' bulk actions: the ticked rows or every record matching the filter, in
chunks, with the edit right, never touching another firm's records."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from crm import bulk, selectors, services
from crm.models import Account, AccountContact, AccountEvent, ClientDeletion, Contact
from tests.actors import owner_of

BULK = reverse("crm:accounts_bulk")
CONTACTS_BULK = reverse("crm:contacts_bulk")


def make_accounts(firm, *names, **fields):
    return [services.account_create(actor=owner_of(firm), name=name, folder_template=None, **fields)
            for name in names]


@pytest.fixture
def vip(firm):
    return services.tag_get_or_create(firm=firm, name="VIP")


def tag_names(account):
    return sorted(tag.name for tag in Account.objects.get(pk=account.pk).tags.all())


def test_add_a_tag_to_every_account_matching_the_filter(owner_client, firm, vip):
    smiths = make_accounts(firm, "Smith Household", "Smith Trust", "Smith LLC")
    other = make_accounts(firm, "Jones Family")[0]
    response = owner_client.post(BULK, {"action": "add_tags", "tags": [vip.pk], "all_matching": "1",
                                        "filter": "q=Smith&sort=-name"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("crm:account_list") + "?q=Smith&sort=-name"
    assert "Tag “VIP” added to 3 accounts." in response.content.decode()
    assert all(tag_names(account) == ["VIP"] for account in smiths)
    assert tag_names(other) == []


def test_a_new_tag_typed_in_the_bar_is_created_and_added_to_the_ticked_rows(owner_client, firm):
    first, second, third = make_accounts(firm, "Ann", "Bob", "Cy")
    owner_client.post(BULK, {"action": "add_tags", "new_tag": "Extension 2025", "account": [first.pk, third.pk]})
    assert tag_names(first) == tag_names(third) == ["Extension 2025"]
    assert tag_names(second) == []


def test_adding_twice_changes_nothing_more_and_removing_takes_it_off(owner_client, firm, vip):
    account = make_accounts(firm, "Ann", tags=[vip])[0]
    owner_client.post(BULK, {"action": "add_tags", "tags": [vip.pk], "account": [account.pk]})
    assert Account.tags.through.objects.filter(account=account).count() == 1
    owner_client.post(BULK, {"action": "remove_tags", "tags": [vip.pk], "account": [account.pk]})
    assert tag_names(account) == []


def test_set_type_status_and_assignees_on_a_filter(owner_client, firm, owner_membership, manager):
    ann, bob = make_accounts(firm, "Ann Lee", "Bob Lee")
    cy = make_accounts(firm, "Cy Park")[0]
    manager_membership = firm.memberships.get(user=manager)
    services.account_update(actor=owner_of(firm), account=ann, assignees=[manager_membership])
    lees = {"all_matching": "1", "filter": "q=Lee"}
    owner_client.post(BULK, {"action": "set_type", "type": "company", **lees})
    owner_client.post(BULK, {"action": "set_status", "status": "inactive", **lees})
    response = owner_client.post(BULK, {"action": "set_assignees", "assignees": [owner_membership.pk], **lees},
                                 follow=True)
    assert "2 accounts now assigned to Olivia Owner." in response.content.decode()
    for account in (ann, bob):
        account.refresh_from_db()
        assert (account.type, account.status) == ("company", "inactive")
        assert list(account.assignees.all()) == [owner_membership]  # the manager was replaced
    cy.refresh_from_db()
    assert (cy.type, cy.status, list(cy.assignees.all())) == ("individual", "active", [])


def test_an_action_without_its_value_says_what_is_missing(owner_client, firm):
    account = make_accounts(firm, "Ann")[0]
    response = owner_client.post(BULK, {"action": "set_type", "account": [account.pk]}, follow=True)
    assert "Choose the type to set." in response.content.decode()
    response = owner_client.post(BULK, {"action": "add_tags"}, follow=True)
    assert "Select the accounts to change, or all accounts matching the filter." in response.content.decode()


def test_bulk_actions_take_the_edit_right(client, plain_member, firm, vip):
    account = make_accounts(firm, "Ann")[0]
    client.force_login(plain_member)
    assert client.post(BULK, {"action": "add_tags", "tags": [vip.pk], "account": [account.pk]}).status_code == 403
    assert client.post(CONTACTS_BULK, {"action": "delete", "all_matching": "1", "confirm": "1"}).status_code == 403
    assert tag_names(account) == []
    with pytest.raises(PermissionDenied):
        bulk.tags_add(actor=firm.memberships.get(user=plain_member), records=Account.objects.all(), tags=[vip])
    page = client.get(reverse("crm:account_list")).content.decode()
    assert 'data-testid="bulk-actions"' not in page


def test_another_firms_ids_are_404_and_all_matching_never_reaches_another_firm(client, firm, other_firm,
                                                                              other_owner, vip):
    ours = make_accounts(firm, "Ann Smith")[0]
    client.force_login(other_owner)
    theirs_tag = services.tag_get_or_create(firm=other_firm, name="Theirs")
    assert client.post(BULK, {"action": "add_tags", "tags": [theirs_tag.pk], "account": [ours.pk]}).status_code == 404
    assert client.post(BULK, {"action": "delete", "account": [ours.pk]}).status_code == 404
    # Our tag is not a choice in their bar: the form refuses it.
    client.post(BULK, {"action": "add_tags", "tags": [vip.pk], "all_matching": "1", "filter": ""})
    assert tag_names(ours) == []
    client.post(BULK, {"action": "delete", "all_matching": "1", "filter": "q=Smith", "confirm": "1",
                       "expected": "0"})
    assert Account.objects.filter(pk=ours.pk).exists()
    with pytest.raises(ValueError):
        bulk.tags_add(actor=owner_of(other_firm), records=Account.objects.all(), tags=[vip])


def test_a_filter_is_walked_in_chunks_without_loading_every_record(owner_client, firm, vip, monkeypatch,
                                                                   django_assert_max_num_queries):
    accounts = make_accounts(firm, *[f"Client {n:02}" for n in range(23)])
    monkeypatch.setattr(bulk, "CHUNK", 5)
    seen = []
    real = bulk.id_chunks

    def spy(records, size=None):
        for chunk in real(records, size or bulk.CHUNK):
            seen.append(len(chunk))
            yield chunk

    monkeypatch.setattr(bulk, "id_chunks", spy)
    count = bulk.tags_add(actor=owner_of(firm), records=selectors.account_list(firm=firm, query="Client"), tags=[vip])
    assert count == 23
    assert seen == [5, 5, 5, 5, 3]
    assert all(tag_names(account) == ["VIP"] for account in accounts)


def test_id_chunks_read_one_chunk_per_query(firm):
    make_accounts(firm, *[f"Client {n}" for n in range(7)])
    chunks = list(bulk.id_chunks(Account.objects.filter(firm=firm), size=3))
    assert [len(chunk) for chunk in chunks] == [3, 3, 1]
    assert sum(chunks, []) == sorted(Account.objects.filter(firm=firm).values_list("pk", flat=True))


# --- Delete: a confirmation naming the count, then a record ---------------------------------


def test_delete_asks_first_naming_the_count_and_the_names(owner_client, firm):
    make_accounts(firm, "Ann Smith", "Bob Smith", "Cy Jones")
    response = owner_client.post(BULK, {"action": "delete", "all_matching": "1", "filter": "q=Smith"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Delete 2 accounts?" in page and "Ann Smith" in page and "Bob Smith" in page
    assert "This cannot be undone." in page
    assert Account.objects.filter(firm=firm).count() == 3


def test_confirmed_delete_removes_them_and_records_who_how_many_and_which(owner_client, firm, owner, ):
    ann, bob = make_accounts(firm, "Ann Smith", "Bob Smith")
    keep = make_accounts(firm, "Cy Jones")[0]
    contact = services.contact_create(actor=owner_of(firm), first_name="Ann", email="ann@example.com", account=ann)
    services.account_update(actor=owner_of(firm), account=ann)
    response = owner_client.post(BULK, {"action": "delete", "all_matching": "1", "filter": "q=Smith",
                                        "confirm": "1", "expected": "2"}, follow=True)
    page = response.content.decode()
    assert "2 accounts deleted." in page
    assert list(Account.objects.filter(firm=firm)) == [keep]
    assert Contact.objects.filter(pk=contact.pk).exists()  # contacts stay
    assert not AccountContact.objects.filter(contact=contact).exists()
    deletion = ClientDeletion.objects.get(firm=firm)
    assert (deletion.count, deletion.names, deletion.actor_user, deletion.list_kind) == (
        2, ["Ann Smith", "Bob Smith"], owner, "accounts")
    assert "Recently deleted" in page and "Olivia Owner deleted 2 accounts: Ann Smith, Bob Smith." in page


def test_a_selection_that_grew_since_the_confirmation_deletes_nothing(owner_client, firm):
    make_accounts(firm, "Ann Smith", "Bob Smith")
    make_accounts(firm, "Cy Smith")  # arrived after the person saw "Delete 2 accounts?"
    response = owner_client.post(BULK, {"action": "delete", "all_matching": "1", "filter": "q=Smith",
                                        "confirm": "1", "expected": "2"})
    assert "it now holds 3 accounts" in response.content.decode()
    assert Account.objects.filter(firm=firm).count() == 3


def test_deleting_a_big_selection_in_chunks_counts_every_record(firm, monkeypatch):
    accounts = make_accounts(firm, *[f"Client {n:02}" for n in range(12)])
    AccountEvent.objects.create(firm=firm, account=accounts[0], actor_kind="system", kind="x", summary="x")
    monkeypatch.setattr(bulk, "CHUNK", 5)
    deletion = bulk.accounts_delete(actor=owner_of(firm), accounts=Account.objects.all())
    assert deletion.count == 12 and deletion.names[:2] == ["Client 00", "Client 01"]
    assert not Account.objects.filter(firm=firm).exists()
    assert not AccountEvent.objects.filter(firm=firm).exists()


def test_contacts_take_tags_and_delete_in_bulk(owner_client, firm, vip):
    ann = services.contact_create(actor=owner_of(firm), first_name="Ann", last_name="Lee", email="ann@example.com")
    bob = services.contact_create(actor=owner_of(firm), first_name="Bob", last_name="Lee")
    cy = services.contact_create(actor=owner_of(firm), first_name="Cy", last_name="Park")
    response = owner_client.post(CONTACTS_BULK, {"action": "add_tags", "tags": [vip.pk], "all_matching": "1",
                                                 "filter": "q=Lee"}, follow=True)
    assert "Tag “VIP” added to 2 contacts." in response.content.decode()
    assert [c.pk for c in Contact.objects.filter(tags=vip).order_by("pk")] == [ann.pk, bob.pk]
    confirm = owner_client.post(CONTACTS_BULK, {"action": "delete", "contact": [cy.pk]}).content.decode()
    assert "Delete 1 contact?" in confirm and "Cy Park" in confirm
    owner_client.post(CONTACTS_BULK, {"action": "delete", "contact": [cy.pk], "confirm": "1", "expected": "1"})
    assert not Contact.objects.filter(pk=cy.pk).exists()
    assert ClientDeletion.objects.get(list_kind="contacts").names == ["Cy Park"]
    # Actions of accounts only are not offered for contacts.
    response = owner_client.post(CONTACTS_BULK, {"action": "set_type", "type": "company", "contact": [ann.pk]},
                                 follow=True)
    assert "Select a valid choice" in response.content.decode()


def test_an_action_of_another_firms_member_never_touches_our_records(firm, other_firm):
    ours = make_accounts(firm, "Ann")[0]
    theirs_tag = services.tag_get_or_create(firm=other_firm, name="Theirs")
    count = bulk.tags_add(actor=owner_of(other_firm), records=Account.objects.all(), tags=[theirs_tag])
    assert count == 0 and tag_names(ours) == []
    assert bulk.accounts_delete(actor=owner_of(other_firm), accounts=Account.objects.all()).count == 0
    assert Account.objects.filter(pk=ours.pk).exists()


def test_deleting_an_account_removes_its_portal_documents_files(firm, settings, tmp_path,
                                                                django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal import services as portal_services

    settings.MEDIA_ROOT = tmp_path
    account = make_accounts(firm, "Ann")[0]
    [document] = portal_services.documents_upload_by_team(
        actor=owner_of(firm), account=account, folder="", files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4")])
    path = tmp_path / document.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        bulk.accounts_delete(actor=owner_of(firm), accounts=Account.objects.filter(pk=account.pk))
    assert not path.exists()
