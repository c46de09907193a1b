"""Sign-in and password-reset hardening: who a request comes from, and how often it may ask.

Failed sign-ins are counted by django-axes (settings: AXES_*); these functions tell it which
account and which address a request is for. Reset mails are counted here, per address and per
client address, in `PasswordResetRequest` rows.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clientport.models import PasswordResetRequest
from crm.forms import TeamPasswordResetForm

RESET_WINDOW = datetime.timedelta(hours=1)


def client_ip(request) -> str | None:
    """The address of the person, not of our reverse proxy: with BEHIND_PROXY, the last entry
    of X-Forwarded-For (the one our proxy added; earlier ones are whatever the client sent)."""
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None


def signin_email(request, credentials: dict | None) -> str:
    """The account a sign-in is for, as the user manager stores it (lower-case), so that
    "OWNER@x" and "owner@x" are counted as one account."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "")
    return str(username).strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (HTTP 429), saying for how long."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def _email_digest(email: str) -> str:
    # Any address a visitor types is counted; only a keyed digest of it is stored.
    return salted_hmac("clientport.password-reset", email.strip().casefold()).hexdigest()


def reset_refusal(email: str, ip: str | None) -> str | None:
    """Why a reset mail to `email` asked from `ip` may not go now (a sentence), or None: it may,
    and it is counted."""
    since = timezone.now() - RESET_WINDOW
    PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    digest = _email_digest(email)
    if recent.filter(email_digest=digest).count() >= settings.PASSWORD_RESET_MAILS_PER_HOUR:
        return (
            "A reset link was already sent to this address several times in the last hour. "
            "Use the link in the newest email, or try again in an hour."
        )
    if ip and recent.filter(ip_address=ip).count() >= settings.PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR:
        return "Too many reset links were asked for from your network in the last hour. Try again in an hour."
    PasswordResetRequest.objects.create(email_digest=digest, ip_address=ip)
    return None


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, throttled, with links built from SITE_URL: the request's Host header
    is the visitor's to choose, and a forged one would put their site in our mail."""

    form_class = TeamPasswordResetForm

    def form_valid(self, form):
        refusal = reset_refusal(form.cleaned_data["email"], client_ip(self.request))
        if refusal is not None:
            form.add_error(None, refusal)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        site_url = settings.SITE_URL.rstrip("/")
        site = urlsplit(site_url)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={**(self.extra_email_context or {}), "site_url": site_url},
        )
        return HttpResponseRedirect(self.get_success_url())
