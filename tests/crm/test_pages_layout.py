"""Sign in and out, password reset, the page layout and the firm switcher."""

import re

from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

from crm import services
from crm.middleware import SESSION_FIRM_KEY
from crm.models import Membership
from tests.actors import owner_of

PASSWORD = "correct horse battery staple"


def test_login_page_and_sign_in_with_email(client, firm, owner):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b'type="email"' in page.content and b"csrfmiddlewaretoken" in page.content
    response = client.post(reverse("login"), {"username": "OWNER@firm-a.example", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("crm:account_list")
    assert client.get(reverse("crm:account_list")).status_code == 200


def test_wrong_password_shows_an_error(client, owner):
    response = client.post(reverse("login"), {"username": owner.email, "password": "nope"})
    assert response.status_code == 200
    assert b"form-errors" in response.content


def test_login_follows_next(client, firm, owner):
    target = reverse("crm:contact_list")
    response = client.post(reverse("login") + f"?next={target}", {"username": owner.email, "password": PASSWORD, "next": target})
    assert response.url == target


def test_logout_is_a_post_form_in_the_user_menu(owner_client):
    html = owner_client.get(reverse("crm:account_list")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}">' in html
    response = owner_client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert owner_client.get(reverse("crm:account_list")).status_code == 302


def test_layout_has_firm_nav_htmx_and_stylesheet(owner_client):
    html = owner_client.get(reverse("crm:account_list")).content.decode()
    assert "Alpha Tax &amp; Accounting" in html
    for url in (reverse("crm:account_list"), reverse("crm:contact_list"), reverse("crm:settings")):
        assert f'href="{url}"' in html
    assert "django_htmx/htmx-2.min.js" in html
    assert "clientport/app.css" in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_password_reset_sends_a_working_link(client, owner):
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": owner.email})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert client.get(response.url).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [owner.email]
    path = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)

    confirm = client.get(path, follow=True)
    assert confirm.context["validlink"]
    done = client.post(confirm.redirect_chain[-1][0], {"new_password1": "n3w Passphrase!", "new_password2": "n3w Passphrase!"})
    assert done.url == reverse("password_reset_complete")
    assert client.get(done.url).status_code == 200
    assert client.login(request=HttpRequest(), username=owner.email, password="n3w Passphrase!")
    # The link works once.
    assert not client.get(path, follow=True).context["validlink"]


def test_password_reset_also_reaches_members_who_never_set_a_password(client, firm):
    membership = services.member_add(actor=owner_of(firm), email="invited@firm-a.example")
    assert not membership.user.has_usable_password()
    client.post(reverse("password_reset"), {"email": "invited@firm-a.example"})
    assert len(mail.outbox) == 1


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("password_reset_done")
    assert not mail.outbox


def test_messages_are_shown(owner_client):
    response = owner_client.post(reverse("crm:settings_tags"), {"name": "New tag"}, follow=True)
    assert b'class="message message--success"' in response.content


# --- Firm switcher ------------------------------------------------------------------------------


def test_switcher_appears_only_with_several_firms(owner_client, owner, other_firm):
    assert b'name="firm"' not in owner_client.get(reverse("crm:account_list")).content
    services.member_add(actor=owner_of(other_firm), email=owner.email, role="member")
    html = owner_client.get(reverse("crm:account_list")).content.decode()
    assert 'name="firm"' in html and "Beta Bookkeeping" in html


def test_switching_firm_changes_what_is_shown(owner_client, firm, owner, other_firm):
    services.member_add(actor=owner_of(other_firm), email=owner.email, role="member")
    services.account_create(actor=owner_of(firm), name="Alpha client", folder_template=None)
    beta = services.account_create(actor=owner_of(other_firm), name="Beta client", folder_template=None)
    assert owner_client.get(reverse("crm:account_detail", args=[beta.pk])).status_code == 404

    response = owner_client.post(reverse("crm:firm_switch"), {"firm": other_firm.pk})
    assert response.status_code == 302 and response.url == reverse("crm:account_list")
    assert owner_client.session[SESSION_FIRM_KEY] == other_firm.pk
    html = owner_client.get(reverse("crm:account_list")).content.decode()
    assert "Beta client" in html and "Alpha client" not in html
    assert owner_client.get(reverse("crm:account_detail", args=[beta.pk])).status_code == 200
    # As a plain member there, the settings are closed.
    assert owner_client.get(reverse("crm:settings")).status_code == 403


def test_switching_to_a_firm_the_user_is_not_in_is_refused(owner_client, firm, other_firm):
    response = owner_client.post(reverse("crm:firm_switch"), {"firm": other_firm.pk})
    assert response.status_code == 404
    assert SESSION_FIRM_KEY not in owner_client.session
    assert owner_client.post(reverse("crm:firm_switch"), {"firm": "x"}).status_code == 404


def test_switching_to_a_firm_where_the_user_was_deactivated_is_refused(owner_client, owner, other_firm):
    membership = services.member_add(actor=owner_of(other_firm), email=owner.email)
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    assert owner_client.post(reverse("crm:firm_switch"), {"firm": other_firm.pk}).status_code == 404


def test_switch_needs_post(owner_client, other_firm):
    assert owner_client.get(reverse("crm:firm_switch")).status_code == 405
