"""The portal's own sign-in page: the same user model and the same `authenticate` as the team's,
so django-axes counts its failures and locks it out alike."""

from django.urls import reverse

from tests.portal.conftest import PASSWORD


def sign_in(client, email, password, ip="203.0.113.7"):
    return client.post(reverse("portal:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def with_password(world):
    world.user.set_password(PASSWORD)
    world.user.save()
    return world


def test_a_client_signs_in_and_lands_on_their_account(client, ana):
    with_password(ana)
    response = sign_in(client, "ANA@example.com", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert client.get(response.url).url == reverse("portal:account", args=[ana.account.pk])


def test_a_wrong_password_is_refused_on_the_portals_page(client, ana):
    response = sign_in(client, ana.user.email, "guess")
    assert response.status_code == 200 and "Client portal" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_portal_sign_in_is_locked_out_after_the_failure_limit(client, ana, settings):
    with_password(ana)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, ana.user.email, "guess").status_code == 200
    assert sign_in(client, ana.user.email, "guess").status_code == 429
    # Locked: even the right password, from another address, does not sign in.
    refused = sign_in(client, ana.user.email, PASSWORD, ip="198.51.100.1")
    assert refused.status_code == 429 and "_auth_user_id" not in client.session


def test_failures_on_the_portal_and_the_team_page_count_together(client, ana, settings):
    with_password(ana)
    half = settings.AXES_FAILURE_LIMIT // 2
    for _ in range(half):
        sign_in(client, ana.user.email, "guess")
    for _ in range(settings.AXES_FAILURE_LIMIT - half):
        client.post(reverse("login"), {"username": ana.user.email, "password": "guess"}, REMOTE_ADDR="203.0.113.7")
    assert sign_in(client, ana.user.email, PASSWORD).status_code == 429


def test_a_team_member_signing_in_on_the_portal_is_told_it_is_for_clients(client, owner, firm):
    owner.set_password(PASSWORD)
    owner.save()
    response = sign_in(client, owner.email, PASSWORD)
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 403 and "The portal is for clients" in page.content.decode()


def test_a_client_signing_in_on_the_team_page_is_sent_to_the_portal(client, ana):
    with_password(ana)
    response = client.post(reverse("login"), {"username": ana.user.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:account", args=[ana.account.pk])


def test_signing_out_of_the_portal_returns_to_its_sign_in(ana_client):
    response = ana_client.post(reverse("portal:logout"))
    assert response.status_code == 302 and response.url == reverse("portal:login")
    assert ana_client.get(reverse("portal:home")).url.startswith(reverse("portal:login"))
