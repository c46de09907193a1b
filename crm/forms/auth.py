"""Sign in by email and password reset, also for team members who never chose a password."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, _unicode_ci_compare


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in by email, whatever its case: addresses are stored lower-cased (UserManager)."""

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()



class TeamPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for team members who were added but never chose a password.

    Django skips users without a usable password; here that is exactly the person who lost the
    "set your password" email, and there is no other way (SSO, LDAP) for them to sign in.
    """

    def get_users(self, email):
        user_model = get_user_model()
        candidates = user_model._default_manager.filter(email__iexact=email.strip(), is_active=True)
        # As Django's own form does (CVE-2019-19844): the case-insensitive match must not
        # let a look-alike Unicode address receive someone else's reset link.
        return (user for user in candidates if _unicode_ci_compare(email, user.email))
