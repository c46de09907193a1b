"""Portal invitations (docs/crm-rules.md, "Portal invitations").

A link with *Login* on and an email is *queued* (by a team member's Invite / Resend, or by an
import with *Send invitations*), then the background worker sends the mails in batches, outside
any database transaction (`invitations_send`, run by `crm.tasks.send_portal_invitations`). The
mail holds a signed link to set a password (`InvitationTokenGenerator`), valid for the firm's
`portal_invitation_days`, and dead once used, once the link's state changes (revoked, resent,
accepted) or once the person's email or password changes. Accepting it (`invitation_accept`)
sets `Contact.portal_user`; turning Login off (`invitation_revoke`, called by
`services.contact_link`) revokes at once.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from crm import history
from crm.models import AccountContact, Contact, Membership, User
from crm.permissions import EDIT_CLIENTS, MAINTENANCE, require

logger = logging.getLogger("crm.actions")

Invitation = AccountContact.Invitation

# Links per batch: one transaction claims them, their mails go out over one connection, one
# transaction records the outcome.
BATCH_SIZE = 200
# A link whose mail failed this often is *failed*, with the error shown; before that the task
# tries again after RETRY_DELAYS[attempt - 1].
MAX_ATTEMPTS = 3
RETRY_DELAYS = (datetime.timedelta(minutes=1), datetime.timedelta(minutes=10))
# Link ids per task when a person invites many accounts at once (the task's arguments are stored).
IDS_PER_TASK = 1000
IDS_PER_UPDATE = 500  # ids in one "pk IN (...)" (an old SQLite allows 999 parameters)


# --- The signed link -------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """What an invitation token is made for: the link it was sent through and the login it sets."""

    link: AccountContact
    user: User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token, made for a link: it expires after the link's firm's
    `portal_invitation_days` (not PASSWORD_RESET_TIMEOUT) and hashes what must kill it: the
    user's password and last login (set when it is used), and the link's state, Login switch,
    sending time and the contact's email (a revoke, a resend, an accept or a new address)."""

    key_salt = "crm.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, invitee: Invitee, timestamp: int) -> str:
        link, user = invitee.link, invitee.user
        last_login = "" if user.last_login is None else int(user.last_login.timestamp())
        invited_at = "" if link.invited_at is None else link.invited_at.isoformat()  # to the microsecond
        return (f"{link.pk}|{link.invitation}|{link.login}|{invited_at}|{link.contact.email_key}|"
                f"{user.pk}|{user.password}|{last_login}|{timestamp}")

    def check_token(self, invitee: Invitee, token: str) -> bool:
        return self.token_state(invitee, token) == "valid"

    def token_state(self, invitee: Invitee, token: str) -> str:
        """"valid"; "expired" (genuine, for the link as it is now, but older than the firm's
        days); or "invalid" (forged, used, revoked, resent since)."""
        if not (invitee and token):
            return "invalid"
        try:
            ts_b36, _ = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return "invalid"
        if not any(constant_time_compare(self._make_token_with_timestamp(invitee, timestamp, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks]):
            return "invalid"
        days = invitee.link.account.firm.portal_invitation_days
        return "valid" if self._num_seconds(self._now()) - timestamp <= days * 24 * 3600 else "expired"


invitation_tokens = InvitationTokenGenerator()


def invitation_url(invitee: Invitee) -> str:
    uid = urlsafe_base64_encode(force_bytes(invitee.link.pk))
    path = reverse("portal_invitation", args=[uid, invitation_tokens.make_token(invitee)])
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class InvitationCheck:
    """What an invitation URL is: `invitee` when it still works; `firm` (to name on the page)
    when it is genuine but expired. A used, withdrawn or forged one names no firm: a guessed
    URL must not tell which firm a link belongs to."""

    invitee: Invitee | None = None
    firm: object = None


def invitation_check(uidb64: str, token: str) -> InvitationCheck:
    """Whether an invitation URL still works: the link is invited with Login on, and the token
    is genuine (for the link's current state and the user's current password) and unexpired."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return InvitationCheck()
    link = AccountContact.objects.select_related("account__firm", "contact__portal_user").filter(pk=pk).first()
    if link is None or not link.login or link.invitation != Invitation.INVITED:
        return InvitationCheck()
    user = _user_for(link.contact)
    if user is None:
        return InvitationCheck()
    invitee = Invitee(link=link, user=user)
    state = invitation_tokens.token_state(invitee, token)
    if state == "valid":
        return InvitationCheck(invitee=invitee, firm=link.account.firm)
    return InvitationCheck(firm=link.account.firm if state == "expired" else None)


def _user_for(contact: Contact) -> User | None:
    """The login an invitation to this contact sets: the one they accepted before, else the
    one of their email address (created, without a password, when the mail was sent)."""
    if contact.portal_user_id:
        return contact.portal_user
    if not contact.email_key:
        return None
    return User.objects.filter(email=contact.email_key).first()


# --- Queueing ---------------------------------------------------------------------------------


@dataclass
class QueueResult:
    """What an Invite (one link, or the accounts list's bulk action) did."""

    queued: list[int] = field(default_factory=list)  # link ids
    accepted: list[int] = field(default_factory=list)  # already had a portal login: marked accepted
    skipped: Counter = field(default_factory=Counter)  # reason -> links

    def message(self) -> str:
        parts = [f"{len(self.queued)} invitation{'s' if len(self.queued) != 1 else ''} queued"]
        if self.accepted:
            parts.append(f"{len(self.accepted)} already had a portal login (marked accepted)")
        parts += [f"{count} skipped: {reason}" for reason, count in sorted(self.skipped.items())]
        return "; ".join(parts) + "."


def _skip_reason(link: AccountContact) -> str:
    if not link.login:
        return "Login is off"
    if not link.contact.email:
        return "no email address"
    if link.invitation == Invitation.ACCEPTED:
        return "already accepted"
    if link.invitation == Invitation.QUEUED:
        return "already queued"
    return ""


def invitations_queue(*, actor: Membership, links: Iterable[AccountContact], enqueue: bool = True) -> QueueResult:
    """Queues an invitation for each link with Login on and an email (Invite, Resend, or the
    accounts list's *Invite to portal*); the others are reported as skipped, with the reason.
    A contact who already has a portal login needs no mail: the link is marked accepted. The
    mails are sent by the worker after commit."""
    result = QueueResult()
    links = list(links)
    require(actor, EDIT_CLIENTS)
    for link in links:
        require(actor, EDIT_CLIENTS, firm=link.account.firm_id)
    for link in links:
        reason = _skip_reason(link)
        if reason:
            result.skipped[reason] += 1
        elif link.contact.portal_user_id and link.contact.portal_user.has_usable_password():
            result.accepted.append(link.pk)
        else:
            result.queued.append(link.pk)
    now = timezone.now()
    with transaction.atomic():
        for ids, changes in ((result.accepted, {"invitation": Invitation.ACCEPTED, "accepted_at": now}),
                             (result.queued, {"invitation": Invitation.QUEUED, "invitation_attempts": 0})):
            for start in range(0, len(ids), IDS_PER_UPDATE):
                AccountContact.objects.filter(pk__in=ids[start:start + IDS_PER_UPDATE]).update(
                    invitation_error="", queued_by_import=None, **changes,
                )
        if enqueue and result.queued:
            ids = list(result.queued)
            transaction.on_commit(lambda: _enqueue_ids(ids))
    logger.info("Portal invitations by %s: %s", actor.user.email, result.message())
    return result


def _enqueue_ids(ids: list[int], *, run_after: datetime.datetime | None = None) -> None:
    from crm.tasks import send_portal_invitations

    task = send_portal_invitations
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    for start in range(0, len(ids), IDS_PER_TASK):
        task.enqueue(link_ids=ids[start:start + IDS_PER_TASK])


def invitations_after_import(*, job) -> int:
    """The end of an import that queued invitations: finished, its links' mails are sent by the
    worker (after this commits); cancelled or failed, they go back to "not invited" (invite
    them later from the accounts list). Returns how many links that concerns."""
    queued = AccountContact.objects.filter(queued_by_import=job.pk, invitation=Invitation.QUEUED)
    if job.status not in ("finished", "cancelled", "failed"):  # still running (taken over by another worker)
        return 0
    if job.status == "finished":
        count = queued.count()
        if count:
            from crm.tasks import send_portal_invitations

            job_id = job.pk
            transaction.on_commit(lambda: send_portal_invitations.enqueue(job_id=job_id))
        return count
    return queued.update(invitation=Invitation.NOT_INVITED, queued_by_import=None)


# --- Sending ----------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0  # mails
    links: int = 0  # links marked invited
    retry: list[int] = field(default_factory=list)  # link ids queued again after a failure
    failed: list[int] = field(default_factory=list)  # link ids that gave up
    retry_attempt: int = 0  # the highest attempt among `retry`


def invitations_send(*, actor, job_id: int | None = None, link_ids: list[int] | None = None) -> SendResult:
    """Sends the queued invitations of an import (`job_id`) or of these links, BATCH_SIZE links
    at a time: claim them (queued -> invited) in one short transaction, send one mail per contact
    over one connection, outside any transaction, then record the failures (queued again for a
    retry, or failed after MAX_ATTEMPTS). Running it twice sends nothing twice: only queued
    links are claimed. The worker's work: `permissions.SYSTEM`."""
    require(actor, MAINTENANCE)
    if (job_id is None) == (link_ids is None):
        raise ValueError("Send the invitations of an import or of some links.")
    scope = Q(queued_by_import=job_id) if job_id is not None else Q(pk__in=link_ids)
    result, tried = SendResult(), set()
    while True:
        batch = _claim(scope, exclude=tried)
        if not batch:
            return result
        tried.update(link.pk for link in batch)
        failures = _mail(batch)
        _record(batch, failures, result)


def _claim(scope: Q, *, exclude: set[int]) -> list[AccountContact]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            AccountContact.objects.select_for_update(skip_locked=True)
            .filter(scope, invitation=Invitation.QUEUED, login=True)
            .exclude(pk__in=exclude).order_by("contact_id", "pk").values_list("pk", flat=True)[:BATCH_SIZE]
        )
        AccountContact.objects.filter(pk__in=ids).update(
            invitation=Invitation.INVITED, invited_at=now, invitation_attempts=F("invitation_attempts") + 1,
        )
    return list(AccountContact.objects.filter(pk__in=ids).select_related("account__firm", "contact__portal_user")
                .order_by("contact_id", "pk"))


def _users_by_email(contacts: list[Contact]) -> dict[str, User]:
    """The login of each contact's email: the existing one (a person may be a client of several
    firms, or on a team), or a new one without a usable password."""
    emails = {c.email_key for c in contacts if c.email_key}
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    names = {c.email_key: c.full_name for c in contacts}
    missing = [User(email=email, full_name=names[email][:150], password=make_password(None))
               for email in sorted(emails - users.keys())]
    if missing:
        User.objects.bulk_create(missing, ignore_conflicts=True)  # another worker may have made one
        users.update({u.email: u for u in User.objects.filter(email__in=[u.email for u in missing])})
    for contact in contacts:
        if contact.portal_user_id is not None:  # their own login wins over their email's
            users[contact.email_key] = contact.portal_user
    return users


def _from_address(firm) -> str:
    name = " ".join(firm.name.split())  # no line breaks in a header
    return formataddr((name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def _mail(batch: list[AccountContact]) -> dict[int, str]:
    """One mail per contact of the batch (for its first link; accepting it accepts the others).
    Returns the error of each contact whose mail failed, by contact id."""
    by_contact: dict[int, list[AccountContact]] = defaultdict(list)
    for link in batch:
        by_contact[link.contact_id].append(link)
    contacts = [links[0].contact for links in by_contact.values()]
    users = _users_by_email(contacts)
    failures: dict[int, str] = {}
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # the mail server is down: every mail of the batch failed
        return {contact_id: _error_text(exc) for contact_id in by_contact}
    try:
        for contact_id, links in by_contact.items():
            link = links[0]
            user = users.get(link.contact.email_key)
            if user is None:
                failures[contact_id] = "no email address"
                continue
            try:
                connection.send_messages([_message(link, user, [l.account for l in links], connection)])
            except Exception as exc:  # an SMTP refusal of this address, or a dropped connection
                failures[contact_id] = _error_text(exc)
                logger.warning("Portal invitation to contact #%s failed: %s", contact_id, failures[contact_id])
    finally:
        connection.close()
    return failures


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def _message(link: AccountContact, user: User, accounts, connection) -> EmailMessage:
    firm = link.account.firm
    context = {
        "firm": firm, "contact": link.contact, "accounts": accounts, "days": firm.portal_invitation_days,
        "url": invitation_url(Invitee(link=link, user=user)),
    }
    return EmailMessage(
        subject=f"{firm.name} invites you to its client portal",
        body=render_to_string("crm/emails/portal_invitation.txt", context),
        from_email=_from_address(firm),
        to=[link.contact.email],
        connection=connection,
    )


def _record(batch: list[AccountContact], failures: dict[int, str], result: SendResult) -> None:
    failed_links = [link for link in batch if link.contact_id in failures]
    sent_contacts = {link.contact_id for link in batch} - failures.keys()
    result.sent += len(sent_contacts)
    result.links += len(batch) - len(failed_links)
    if not failed_links:
        return
    with transaction.atomic():
        for link in failed_links:
            error = failures[link.contact_id]
            # Only while still as claimed: a revoke meanwhile wins.
            still = AccountContact.objects.filter(pk=link.pk, invitation=Invitation.INVITED, login=True)
            if link.invitation_attempts >= MAX_ATTEMPTS:  # counted by the claim
                still.update(invitation=Invitation.FAILED, invitation_error=error)
                result.failed.append(link.pk)
            else:
                still.update(invitation=Invitation.QUEUED, invitation_error=error)
                result.retry.append(link.pk)
                result.retry_attempt = max(result.retry_attempt, link.invitation_attempts)


def invitations_retry(result: SendResult) -> None:
    """Queues the task again for the links whose mail failed, after a growing delay."""
    if result.retry:
        delay = RETRY_DELAYS[min(result.retry_attempt, len(RETRY_DELAYS)) - 1]
        _enqueue_ids(result.retry, run_after=timezone.now() + delay)


# --- Accepting and revoking -----------------------------------------------------------------


class InvitationGone(Exception):
    """The invitation was accepted, resent or revoked between the check and the acceptance."""


def invitation_accept(*, invitee: Invitee) -> User:
    """The person chose their password through the invitation (call inside the transaction
    that saves it): their contact gets this portal login, and each of its links with Login on
    is accepted. Raises InvitationGone if the link is no longer invited (a second submit)."""
    link, user = invitee.link, invitee.user
    now = timezone.now()
    claimed = AccountContact.objects.filter(
        pk=link.pk, invitation=Invitation.INVITED, login=True, invited_at=link.invited_at,
    ).update(invitation=Invitation.ACCEPTED, accepted_at=now, invitation_error="", queued_by_import=None)
    if not claimed:
        raise InvitationGone(link.pk)
    Contact.objects.filter(pk=link.contact_id).update(portal_user=user)
    others = list(AccountContact.objects.filter(contact_id=link.contact_id, login=True)
                  .exclude(invitation=Invitation.ACCEPTED).select_related("account", "contact"))
    AccountContact.objects.filter(pk__in=[other.pk for other in others]).update(
        invitation=Invitation.ACCEPTED, accepted_at=now, invitation_error="", queued_by_import=None,
    )
    for each in [link, *others]:
        history.record(account=each.account, contact=each.contact, client_user=user, kind="invitation_accepted",
                       summary=f"{each.contact} accepted the portal invitation.")
    logger.info("Contact #%s accepted the portal invitation of link #%s.", link.contact_id, link.pk)
    return user


def invitation_revoke(*, actor: Membership, link: AccountContact) -> None:
    """Login was turned off: the link's invitation is void at once (its token hashes the state)
    and the portal no longer shows the account (`selectors.portal_links`). If the contact has no
    link with Login left and their login serves nothing else (no other firm's client, no team),
    its password is made unusable: that ends their portal sessions (Django checks the password's
    hash on every request) and a new invitation is needed to come back."""
    require(actor, EDIT_CLIENTS, firm=link.account.firm_id)
    was = link.invitation
    AccountContact.objects.filter(pk=link.pk).update(
        invitation=Invitation.NOT_INVITED, invited_at=None, accepted_at=None, invitation_error="",
        invitation_attempts=0, queued_by_import=None,
    )
    link.invitation, link.invited_at, link.accepted_at = Invitation.NOT_INVITED, None, None
    user = link.contact.portal_user
    if was != Invitation.NOT_INVITED or user is not None:
        history.record(account=link.account, contact=link.contact, actor=actor, kind="portal_access_revoked",
                       summary=f"Portal access of {link.contact} revoked by {actor.display_name} (Login off).")
    if user is None:
        return
    still_a_client = AccountContact.objects.filter(contact__portal_user=user, login=True).exists()
    on_a_team = Membership.objects.filter(user=user).exists()
    if not still_a_client and not on_a_team and user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        logger.info("Portal login of contact #%s closed: no link with Login left.", link.contact_id)
