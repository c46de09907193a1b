"""Sign-in and password reset resist guessing and mail floods (clientport/auth.py, django-axes).

Throttling is on here as in production: each test starts with no failed attempts counted,
because the counts are database rows that the test's transaction rolls back."""

import datetime
import re

from django.core import mail
from django.urls import reverse

from axes.models import AccessAttempt
from clientport.models import PasswordResetRequest

PASSWORD = "correct horse battery staple"


def sign_in(client, email, password, ip="203.0.113.7"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_an_account_is_locked_after_the_failure_limit_even_for_the_right_password(client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, owner.email, "guess").status_code == 200
    locked = sign_in(client, owner.email.upper(), "guess")  # the same account, whatever its case
    assert locked.status_code == 429
    assert "Signing in is paused for 15 minutes" in locked.content.decode()
    # From another address and with the right password: the account itself is locked.
    refused = sign_in(client, owner.email, PASSWORD, ip="198.51.100.1")
    assert refused.status_code == 429 and "_auth_user_id" not in client.session


def test_an_address_is_locked_after_the_failure_limit_across_accounts(client, owner, other_owner, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody{attempt}@example.com", "guess")
    assert sign_in(client, other_owner.email, PASSWORD).status_code == 429
    # The same account from another address still signs in.
    assert sign_in(client, other_owner.email, PASSWORD, ip="198.51.100.1").status_code == 302


def test_failures_below_the_limit_do_not_stop_the_right_password(client, firm, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, owner.email, "guess")
    assert sign_in(client, owner.email, PASSWORD).status_code == 302


def test_the_lockout_is_lifted_after_the_lockout_time(client, firm, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, owner.email, "guess")
    assert sign_in(client, owner.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - settings.AXES_COOLOFF_TIME)
    assert sign_in(client, owner.email, PASSWORD).status_code == 302


def reset(client, email, ip="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_reset_mails_to_one_address_stop_at_the_hourly_limit(client, owner, settings):
    responses = [reset(client, owner.email) for _ in range(35)]
    assert len(mail.outbox) == settings.PASSWORD_RESET_MAILS_PER_HOUR == 3
    assert [r.status_code for r in responses[:3]] == [302] * 3
    assert {r.status_code for r in responses[3:]} == {429}
    assert "already sent to this address" in responses[3].content.decode()
    # Counted per address, whatever the case or the client address.
    assert reset(client, owner.email.upper(), ip="198.51.100.1").status_code == 429
    assert len(mail.outbox) == 3


def test_an_unknown_address_is_limited_the_same_so_the_limit_reveals_no_account(client, db, settings):
    statuses = [reset(client, "nobody@example.com").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429] and not mail.outbox


def test_one_client_address_cannot_spray_reset_mails_over_many_addresses(client, db, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR = 5
    statuses = [reset(client, f"person{n}@example.com").status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]
    assert reset(client, "person9@example.com", ip="198.51.100.1").status_code == 302


def test_reset_requests_older_than_an_hour_no_longer_count(client, owner, settings):
    for _ in range(3):
        reset(client, owner.email)
    an_hour_ago = PasswordResetRequest.objects.first().requested_at - datetime.timedelta(hours=1, seconds=1)
    PasswordResetRequest.objects.update(requested_at=an_hour_ago)
    assert reset(client, owner.email).status_code == 302 and len(mail.outbox) == 4
    assert PasswordResetRequest.objects.count() == 1  # the old ones are gone, not kept forever


def test_reset_link_is_built_from_site_url_not_the_host_header(client, owner, settings):
    settings.SITE_URL = "https://crm.example.com/"
    client.post(reverse("password_reset"), {"email": owner.email}, HTTP_HOST="localhost:8000")
    [message] = mail.outbox
    links = re.findall(r"\S+://\S+", message.body)
    assert links and all(link.startswith("https://crm.example.com/password-reset/") for link in links)
    assert "localhost" not in message.body


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw_not_one_the_client_wrote(client, owner, settings):
    settings.BEHIND_PROXY = True
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": f"nobody{attempt}@example.com", "password": "guess"},
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.9")
    locked = client.post(reverse("login"), {"username": owner.email, "password": PASSWORD},
                         REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9")
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out with it.
    other = client.post(reverse("login"), {"username": owner.email, "password": PASSWORD},
                        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert other.status_code == 302
