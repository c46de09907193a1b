"""My details: a client corrects their name, phones and address; the values are read as the
CRM's contact form reads them, and each change is recorded, old and new, in the history of every
account of theirs the portal shows them, where the firm sees it."""

from django.urls import reverse

from crm.models import AccountContact, AccountEvent


def details(**changes):
    data = {"first_name": "Ana", "middle_name": "", "last_name": "Rivera", "phones": "", "street": "", "city": "",
            "state": "", "postal_code": "", "country": ""}
    return {**data, **changes}


def test_a_correction_is_saved_cleaned_and_recorded_with_old_and_new(ana_client, ana, owner_client):
    url = reverse("portal:details", args=[ana.account.pk])
    response = ana_client.post(url, details(phones="(312) 555-0100 ext 12", street="12 Elm St", city="Springfield",
                                            state="IL", postal_code="62701"))
    assert response.status_code == 302
    ana.contact.refresh_from_db()
    assert ana.contact.phones == ["+13125550100;ext=12"] and ana.contact.city == "Springfield"
    event = AccountEvent.objects.get(account=ana.account, kind="contact_corrected")
    assert event.actor_kind == "client" and event.actor_user == ana.user and event.contact == ana.contact
    assert event.details["phones"] == [[], ["+13125550100;ext=12"]]
    assert event.details["street"] == ["", "12 Elm St"]
    assert "first_name" not in event.details  # unchanged fields are not recorded
    page = owner_client.get(reverse("crm:account_detail", args=[ana.account.pk])).content.decode()
    assert "corrected Ana Rivera" in page and "(client)" in page


def test_a_correction_is_recorded_on_each_of_the_clients_accounts_they_can_see(ana_client, ana, ben):
    AccountContact.objects.create(account=ben.account, contact=ana.contact, login=True)
    ana_client.post(reverse("portal:details", args=[ana.account.pk]), details(last_name="Rivera-Lopez"))
    for account in (ana.account, ben.account):
        event = AccountEvent.objects.get(account=account, kind="contact_corrected")
        assert event.details == {"last_name": ["Rivera", "Rivera-Lopez"]}


def test_an_account_closed_to_the_client_gets_no_entry(ana_client, ana, ben):
    AccountContact.objects.create(account=ben.account, contact=ana.contact, login=False)
    ana_client.post(reverse("portal:details", args=[ana.account.pk]), details(last_name="Rivera-Lopez"))
    assert not AccountEvent.objects.filter(account=ben.account, kind="contact_corrected").exists()


def test_a_bad_phone_is_refused_with_the_reason_and_nothing_changes(ana_client, ana):
    response = ana_client.post(reverse("portal:details", args=[ana.account.pk]), details(phones="call me maybe"))
    assert response.status_code == 400
    assert "is not a valid US phone number" in response.content.decode()
    ana.contact.refresh_from_db()
    assert ana.contact.phones == []
    assert not AccountEvent.objects.filter(kind="contact_corrected").exists()


def test_a_name_cannot_be_emptied(ana_client, ana):
    response = ana_client.post(reverse("portal:details", args=[ana.account.pk]), details(first_name="", last_name=""))
    assert response.status_code == 400 and "Give your first name or your last name." in response.content.decode()


def test_the_email_and_other_firm_fields_cannot_be_changed_by_the_client(ana_client, ana):
    ana_client.post(reverse("portal:details", args=[ana.account.pk]),
                    details(email="mallory@example.com", notes="hacked", tax_id="123-45-6789", city="Austin"))
    ana.contact.refresh_from_db()
    assert ana.contact.email == "ana@example.com" and ana.contact.notes == "" and ana.contact.tax_id == ""
    assert ana.contact.city == "Austin"


def test_saving_without_a_change_records_nothing(ana_client, ana):
    response = ana_client.post(reverse("portal:details", args=[ana.account.pk]), details(), follow=True)
    assert "Nothing changed." in response.content.decode()
    assert not AccountEvent.objects.filter(kind="contact_corrected").exists()


def test_user_text_is_escaped_on_both_sides(ana_client, ana, owner_client):
    ana_client.post(reverse("portal:details", args=[ana.account.pk]), details(city="<script>x()</script>"))
    page = ana_client.get(reverse("portal:details", args=[ana.account.pk])).content.decode()
    assert "<script>x()" not in page and "&lt;script&gt;x()" in page
