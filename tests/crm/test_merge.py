"""Merging two accounts keeps everything: every contact, tag, assignee, role, folder, custom value
and history entry of both ends up on the survivor, with the field values the user chose."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm import history, services
from crm.models import Account, AccountContact, AccountEvent, AccountRoleAssignment, Membership
from tests.actors import owner_of


@pytest.fixture
def actor(firm):
    return owner_of(firm)


@pytest.fixture
def setup(firm, actor):
    """Two accounts of one client, each with its own people, tags, roles, folders and values."""
    preparer = services.account_role_get_or_create(firm=firm, name="Tax preparer")
    reviewer = services.account_role_get_or_create(firm=firm, name="Reviewer")
    partner = services.account_role_get_or_create(firm=firm, name="Partner")
    ann = services.member_add(actor=actor, email="ann@firm-a.example", full_name="Ann Accountant")
    bob = services.member_add(actor=actor, email="bob@firm-a.example", full_name="Bob Bookkeeper")
    fiscal = services.custom_field_create(firm=firm, applies_to="account", name="Fiscal year end")
    source = services.custom_field_create(firm=firm, applies_to="account", name="Referral source")
    portal = services.custom_field_create(firm=firm, applies_to="account", name="Portal plan")
    vip, tax, payroll = (services.tag_get_or_create(firm=firm, name=name) for name in ("VIP", "Tax", "Payroll"))
    survivor = services.account_create(
        actor=actor, name="Smith Co.", type="company", company_name="", client_id="S-1", tax_id="12-3456789",
        street="1 Main St", city="Springfield", state="IL", postal_code="62701", country="US",
        tags=[vip, tax], assignees=[ann], folder_template=None,
        custom_values={fiscal.value_key: "12-31", portal.value_key: "Basic"},
        roles=[(preparer, ann), (reviewer, ann)],
    )
    survivor.folders = ["2025", "Permanent"]
    survivor.save()
    other = services.account_create(
        actor=actor, name="Smith Company", type="company", company_name="Smith Company LLC", client_id="",
        status="inactive", street="9 Elm Rd", city="Shelbyville", tags=[tax, payroll], assignees=[bob],
        folder_template=None, custom_values={source.value_key: "Referral", portal.value_key: "Premium"},
        roles=[(preparer, bob), (partner, bob)],
    )
    other.folders = ["2024", "2025", "Correspondence"]
    other.save()
    both = services.contact_create(actor=actor, first_name="Jo", last_name="Smith", email="jo@smith.example")
    only_mine = services.contact_create(actor=actor, first_name="Al", last_name="Smith", email="al@smith.example")
    only_theirs = services.contact_create(actor=actor, first_name="Cy", last_name="Smith", email="cy@smith.example")
    services.contact_link(actor=actor, account=survivor, contact=both, login=True)
    services.contact_link(actor=actor, account=survivor, contact=only_mine, email_sync=True)
    services.contact_link(actor=actor, account=other, contact=both, notify=True)
    services.contact_link(actor=actor, account=other, contact=only_theirs, login=True, notify=True)
    AccountContact.objects.filter(account=other, contact=both).update(invitation="accepted")
    history.record(account=survivor, kind="note", summary="survivor's old entry", actor=actor)
    history.record(account=other, kind="note", summary="other's old entry", actor=actor)
    return {
        "survivor": survivor, "other": other, "ann": ann, "bob": bob, "fiscal": fiscal, "source": source,
        "portal": portal, "vip": vip, "tax": tax, "payroll": payroll, "preparer": preparer, "reviewer": reviewer,
        "partner": partner, "both": both, "only_mine": only_mine, "only_theirs": only_theirs,
    }


def _links(account):
    return {link.contact_id: link for link in AccountContact.objects.filter(account=account)}


def test_merge_keeps_everything_of_both_accounts(actor, setup):
    s = setup
    survivor = services.account_merge(actor=actor, survivor=s["survivor"], other=s["other"],
                                      choices={"name": "other", "address": "other"}).survivor
    survivor.refresh_from_db()
    assert not Account.objects.filter(pk=s["other"].pk).exists()
    assert set(_links(survivor)) == {s["both"].pk, s["only_mine"].pk, s["only_theirs"].pk}
    assert set(survivor.tags.all()) == {s["vip"], s["tax"], s["payroll"]}
    assert set(survivor.assignees.all()) == {s["ann"], s["bob"]}
    roles = {a.role_id: a.member_id for a in AccountRoleAssignment.objects.filter(account=survivor)}
    # Both held Tax preparer: the survivor's holder stays; the other's Partner comes along.
    assert roles == {s["preparer"].pk: s["ann"].pk, s["reviewer"].pk: s["ann"].pk, s["partner"].pk: s["bob"].pk}
    assert survivor.folders == ["2025", "Permanent", "2024", "Correspondence"]
    assert survivor.custom_values == {s["fiscal"].value_key: "12-31", s["source"].value_key: "Referral",
                                      s["portal"].value_key: "Basic"}
    summaries = [event.summary for event in history.account_history(account=survivor)]
    assert "survivor's old entry" in summaries and "other's old entry" in summaries


def test_chosen_fields_win_and_the_others_keep_the_survivors_non_empty_values(actor, setup):
    s = setup
    survivor = services.account_merge(actor=actor, survivor=s["survivor"], other=s["other"],
                                      choices={"name": "other", "address": "other"}).survivor
    survivor.refresh_from_db()
    assert survivor.name == "Smith Company" and survivor.name_key == "smith company"
    assert (survivor.street, survivor.city, survivor.state, survivor.postal_code, survivor.country) == (
        "9 Elm Rd", "Shelbyville", "", "", "")  # the address is one block: none of the survivor's parts stay
    assert survivor.client_id == "S-1" and survivor.tax_id == "12-3456789" and survivor.status == "active"
    assert survivor.company_name == "Smith Company LLC"  # the survivor's was empty


def test_custom_values_and_roles_follow_the_choices(actor, setup):
    s = setup
    survivor = services.account_merge(actor=actor, survivor=s["survivor"], other=s["other"], choices={
        f"custom_{s['portal'].value_key}": "other", f"role_{s['preparer'].pk}": "other",
        f"role_{s['reviewer'].pk}": "other", "status": "other",
    }).survivor
    survivor.refresh_from_db()
    assert survivor.custom_values[s["portal"].value_key] == "Premium"
    assert survivor.status == "inactive"
    roles = {a.role_id: a.member_id for a in AccountRoleAssignment.objects.filter(account=survivor)}
    # Choosing the other account's "nobody" for Reviewer leaves the role empty.
    assert roles == {s["preparer"].pk: s["bob"].pk, s["partner"].pk: s["bob"].pk}


def test_a_contact_on_both_keeps_one_link_with_the_switches_of_both(actor, setup):
    s = setup
    activated_link = AccountContact.objects.get(account=s["other"], contact=s["both"])
    survivor = services.account_merge(actor=actor, survivor=s["survivor"], other=s["other"]).survivor
    links = _links(survivor)
    both = links[s["both"].pk]
    assert AccountContact.objects.filter(contact=s["both"]).count() == 1
    assert (both.login, both.notify, both.email_sync) == (True, True, False)
    # The other account's link had got further (accepted): it is the one kept.
    assert both.invitation == "accepted" and both.pk == activated_link.pk
    assert (links[s["only_mine"].pk].email_sync, links[s["only_theirs"].pk].login) == (True, True)


def test_the_merge_is_one_entry_in_the_survivors_history_naming_the_merged_account(actor, setup):
    s = setup
    result = services.account_merge(actor=actor, survivor=s["survivor"], other=s["other"],
                                    choices={"name": "other"})
    event = AccountEvent.objects.get(account=result.survivor, kind="merged")
    assert event.summary == f"Merged “Smith Company” (#{s['other'].pk}) into this account"
    assert event.actor_name == actor.display_name
    assert event.details["merged_account"] == {"id": s["other"].pk, "name": "Smith Company", "client_id": ""}
    assert "Name" in event.details["taken_from_merged"]
    assert event.details["moved"]["contacts_moved"] == 1 and event.details["moved"]["contacts_combined"] == 1
    assert event.details["moved"]["history_entries"] == 1
    assert "12-3456789" not in str(event.details)


def test_the_survivor_keeps_its_import(actor, setup, firm):
    from imports.models import ImportJob

    job = ImportJob.objects.create(firm=firm, created_by=actor.user)
    Account.objects.filter(pk=setup["other"].pk).update(created_by_import=job)
    survivor = services.account_merge(actor=actor, survivor=setup["survivor"], other=setup["other"]).survivor
    survivor.refresh_from_db()
    assert survivor.created_by_import is None


def test_a_member_without_manage_contacts_may_not_merge(firm, setup, plain_member):
    member = Membership.objects.get(firm=firm, user=plain_member)
    with pytest.raises(PermissionDenied):
        services.account_merge(actor=member, survivor=setup["survivor"], other=setup["other"])
    assert Account.objects.filter(pk=setup["other"].pk).exists()


def test_an_account_of_another_firm_is_never_merged(setup, other_firm, actor):
    stranger = services.account_create(actor=owner_of(other_firm), name="Smith Co.")
    with pytest.raises(PermissionDenied):
        services.account_merge(actor=actor, survivor=setup["survivor"], other=stranger)
    with pytest.raises(PermissionDenied):
        services.account_merge(actor=owner_of(other_firm), survivor=stranger, other=setup["other"])
    assert Account.objects.filter(pk__in=[stranger.pk, setup["other"].pk]).count() == 2


def test_an_account_is_not_merged_with_itself(actor, setup):
    with pytest.raises(ValueError, match="itself"):
        services.account_merge(actor=actor, survivor=setup["survivor"], other=setup["survivor"])


def test_a_choice_of_an_unknown_field_or_side_is_refused_and_changes_nothing(actor, setup):
    with pytest.raises(ValueError, match="not a field"):
        services.account_merge(actor=actor, survivor=setup["survivor"], other=setup["other"],
                               choices={"favourite_colour": "other"})
    with pytest.raises(ValueError, match="Name"):
        services.account_merge(actor=actor, survivor=setup["survivor"], other=setup["other"],
                               choices={"name": "both"})
    assert Account.objects.filter(pk=setup["other"].pk).exists()
    assert AccountContact.objects.filter(account=setup["other"]).count() == 2


def test_a_failure_half_way_leaves_both_accounts_untouched(actor, setup, monkeypatch):
    from crm import merging

    def broken(survivor, other):
        raise RuntimeError("disk full")

    monkeypatch.setattr(merging, "_move_what_hangs_off", broken)
    with pytest.raises(RuntimeError):
        services.account_merge(actor=actor, survivor=setup["survivor"], other=setup["other"],
                               choices={"name": "other"})
    setup["survivor"].refresh_from_db()
    assert setup["survivor"].name == "Smith Co."
    assert AccountContact.objects.filter(account=setup["other"]).count() == 2
    assert setup["other"].tags.count() == 2 and setup["survivor"].tags.count() == 2


# --- The pages ---------------------------------------------------------------------------------


def test_the_account_page_offers_the_merge_to_editors_only(client, owner_client, setup, plain_member):
    url = reverse("crm:account_detail", args=[setup["survivor"].pk])
    merge_url = reverse("crm:account_merge_pick", args=[setup["survivor"].pk])
    assert merge_url in owner_client.get(url).content.decode()
    client.force_login(plain_member)
    assert merge_url not in client.get(url).content.decode()


def test_the_picker_lists_namesakes_first_and_finds_accounts_by_a_contacts_email(owner_client, actor, setup):
    namesake = services.account_create(actor=actor, name="smith co.", folder_template=None)
    url = reverse("crm:account_merge_pick", args=[setup["survivor"].pk])
    page = owner_client.get(url).content.decode()
    assert reverse("crm:account_merge", args=[setup["survivor"].pk, namesake.pk]) in page
    found = owner_client.get(url, {"q": "cy@smith"}, headers={"HX-Request": "true", "HX-Target": "merge-options"})
    assert found.templates[0].name == "crm/includes/merge_options.html"
    text = found.content.decode()
    assert reverse("crm:account_merge", args=[setup["survivor"].pk, setup["other"].pk]) in text
    assert "Smith Company" in text
    nothing = owner_client.get(url, {"q": "no such client"}).content.decode()
    assert "No other account of the firm matches “no such client”" in nothing


def test_the_comparison_shows_differing_fields_preset_and_what_moves(owner_client, setup):
    s = setup
    response = owner_client.get(reverse("crm:account_merge", args=[s["survivor"].pk, s["other"].pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].initial == "survivor" and form["company_name"].initial == "other"
    assert "type" not in form.fields  # both are companies: nothing to choose
    page = response.content.decode()
    assert "•••-••-6789" in page
    assert "12-3456789" not in page  # the EIN is shown masked only
    assert "Smith Company LLC" in page and "Shelbyville" in page
    assert "1 contact" in page and "1 history entry" in page
    assert reverse("crm:account_merge", args=[s["other"].pk, s["survivor"].pk]) in page  # the swap link


def test_posting_the_comparison_merges_with_the_choices(owner_client, setup):
    s = setup
    url = reverse("crm:account_merge", args=[s["survivor"].pk, s["other"].pk])
    form = owner_client.get(url).context["form"]
    data = {key: form[key].initial for key in form.fields} | {"name": "other"}
    response = owner_client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("crm:account_detail", args=[s["survivor"].pk])
    page = response.content.decode()
    assert "“Smith Company” was merged into “Smith Company”" in page
    assert f"Merged “Smith Company” (#{s['other'].pk}) into this account" in page
    assert "other&#x27;s old entry" in page
    assert not Account.objects.filter(pk=s["other"].pk).exists()


def test_a_post_missing_a_choice_merges_nothing_and_says_which(owner_client, setup):
    s = setup
    url = reverse("crm:account_merge", args=[s["survivor"].pk, s["other"].pk])
    response = owner_client.post(url, {"name": "other"})
    assert response.status_code == 200
    assert "Choose which Address to keep" in response.content.decode()
    assert Account.objects.filter(pk=s["other"].pk).exists()


def test_merging_an_account_with_itself_is_refused_with_a_message(owner_client, setup):
    url = reverse("crm:account_merge", args=[setup["survivor"].pk, setup["survivor"].pk])
    response = owner_client.post(url, {}, follow=True)
    assert "cannot be merged with itself" in response.content.decode()
    assert Account.objects.filter(pk=setup["survivor"].pk).exists()


def test_a_member_without_the_right_gets_403_on_the_merge_pages(client, plain_member, setup):
    client.force_login(plain_member)
    pick = reverse("crm:account_merge_pick", args=[setup["survivor"].pk])
    merge = reverse("crm:account_merge", args=[setup["survivor"].pk, setup["other"].pk])
    assert client.get(pick).status_code == 403
    assert client.get(merge).status_code == 403
    assert client.post(merge, {"name": "other"}).status_code == 403
    assert Account.objects.filter(pk=setup["other"].pk).exists()


def test_a_manager_may_merge(client, manager, setup):
    client.force_login(manager)
    merge = reverse("crm:account_merge", args=[setup["survivor"].pk, setup["other"].pk])
    form = client.get(merge).context["form"]
    client.post(merge, {key: form[key].initial for key in form.fields})
    assert not Account.objects.filter(pk=setup["other"].pk).exists()


def test_another_firms_account_is_404_on_every_merge_page(owner_client, setup, other_firm):
    stranger = services.account_create(actor=owner_of(other_firm), name="Smith Co.")
    mine = setup["survivor"].pk
    assert owner_client.get(reverse("crm:account_merge_pick", args=[stranger.pk])).status_code == 404
    for args in ([mine, stranger.pk], [stranger.pk, mine]):
        url = reverse("crm:account_merge", args=args)
        assert owner_client.get(url).status_code == 404
        assert owner_client.post(url, {"name": "other"}).status_code == 404
    page = owner_client.get(reverse("crm:account_merge_pick", args=[mine]), {"q": "Smith"}).content.decode()
    assert f"/merge/{stranger.pk}/" not in page  # another firm's namesake is never offered
    assert Account.objects.filter(pk=stranger.pk).exists()


def test_anonymous_is_sent_to_login_and_nothing_is_merged(client, setup):
    url = reverse("crm:account_merge", args=[setup["survivor"].pk, setup["other"].pk])
    assert client.get(url).url.startswith(reverse("login"))
    assert client.post(url, {"name": "other"}).url.startswith(reverse("login"))
    assert Account.objects.filter(pk=setup["other"].pk).exists()


# --- Whatever the two accounts hold ----------------------------------------------------------

FOLDERS = st.lists(st.sampled_from(["2023", "2024", "2025", "Permanent", "Tax return", "Payroll"]), unique=True)
TAG_NAMES = st.sets(st.sampled_from(["VIP", "Tax", "Payroll", "Audit"]))
LINK = st.tuples(st.booleans(), st.booleans(), st.booleans(), st.sampled_from(["not_invited", "failed", "queued", "invited", "accepted"]))
# Per contact: its link on the survivor, on the other account, or on both (None: not on it).
CONTACT = st.tuples(st.none() | LINK, st.none() | LINK).filter(lambda pair: pair != (None, None))
RANK = {"not_invited": 0, "failed": 0, "queued": 1, "invited": 1, "accepted": 2}
_examples = iter(range(10**6))


def _account(actor, name, folders, tag_names, role_holder, role):
    account = services.account_create(actor=actor, name=name, folder_template=None,
                                      tags=services.tags_get_or_create(firm=actor.firm, names=tag_names),
                                      roles=[(role, role_holder)] if role_holder else [])
    account.folders = folders
    account.save()
    return account


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(FOLDERS, FOLDERS, TAG_NAMES, TAG_NAMES, st.lists(CONTACT, max_size=5), st.booleans(), st.booleans())
def test_any_merge_keeps_every_contact_tag_folder_and_role(firm, folders_a, folders_b, tags_a, tags_b, people,
                                                          role_on_a, role_on_b):
    actor = owner_of(firm)
    role = services.account_role_get_or_create(firm=firm, name="Preparer")
    n = next(_examples)
    survivor = _account(actor, f"A{n}", folders_a, tags_a, actor if role_on_a else None, role)
    other = _account(actor, f"B{n}", folders_b, tags_b, actor if role_on_b else None, role)
    expected = {}
    for i, sides in enumerate(people):
        contact = services.contact_create(actor=actor, first_name="P", email=f"p{n}-{i}@example.com")
        for account, link in zip((survivor, other), sides):
            if link is not None:
                login, notify, sync, invitation = link
                services.contact_link(actor=actor, account=account, contact=contact, login=login, notify=notify,
                                      email_sync=sync)
                AccountContact.objects.filter(account=account, contact=contact).update(invitation=invitation)
        present = [link for link in sides if link is not None]
        expected[contact.pk] = (*(any(link[k] for link in present) for k in range(3)),
                                max((link[3] for link in present), key=RANK.get))

    services.account_merge(actor=actor, survivor=survivor, other=other)

    assert not Account.objects.filter(pk=other.pk).exists()
    links = AccountContact.objects.filter(contact_id__in=list(expected))
    assert {link.contact_id: (link.login, link.notify, link.email_sync, link.invitation) for link in links} == expected
    assert all(link.account_id == survivor.pk for link in links)
    survivor.refresh_from_db()
    assert {tag.name for tag in survivor.tags.all()} == tags_a | tags_b
    assert survivor.folders == folders_a + [path for path in folders_b if path not in folders_a]
    assert AccountRoleAssignment.objects.filter(account=survivor, role=role).exists() == (role_on_a or role_on_b)


def test_the_other_accounts_portal_documents_move_to_the_survivor_in_their_folder(actor, setup, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal import services as portal_services

    settings.MEDIA_ROOT = tmp_path
    s = setup
    [document] = portal_services.documents_upload_by_team(
        actor=actor, account=s["other"], folder="2024", shared=True,
        files=[SimpleUploadedFile("engagement.pdf", b"%PDF-1.4 letter")],
    )
    services.account_merge(actor=actor, survivor=s["survivor"], other=s["other"], choices={})
    document.refresh_from_db()
    assert document.account_id == s["survivor"].pk and document.folder == "2024"
    assert document.file.read() == b"%PDF-1.4 letter"
