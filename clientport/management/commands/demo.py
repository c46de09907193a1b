"""`clientport demo`: a firm to try Clientport with, and a client list to try the import on."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from clientport.management import prepare_local_dirs
from crm import services
from crm.models import Account, AccountContact, Contact, CustomField, Firm, FolderTemplate, Membership, User
from crm.normalize import normalize_email_key, normalize_name_key

FIRM_SLUG = "demo"
FIRM_NAME = "Demo Tax & Accounting"
OWNER_EMAIL = "owner@demo.example"
# A client of the demo firm who has accepted the portal invitation: the portal to try at once.
PORTAL_CLIENT_EMAIL = "robert.chen@example.com"
PORTAL_CLIENT_DOCUMENT = "Welcome to the portal.txt"
PASSWORD = "clientport-demo"
SAMPLE_FILE = Path(__file__).resolve().parents[2] / "demo_data" / "sample-clients.csv"

# email, full name, role, Manage contacts. Priya and Marcus are the preparers named in the
# sample file's "Preparer" column, so the import can match them.
TEAM = [
    ("admin@demo.example", "Marcus Lee", Membership.Role.ADMIN, False),
    ("manager@demo.example", "Priya Shah", Membership.Role.MEMBER, True),
    ("staff@demo.example", "Sam Rivera", Membership.Role.MEMBER, False),
]

TAGS = [
    "Individual 1040", "Business 1120-S", "Partnership 1065", "Nonprofit 990",
    "Bookkeeping", "Payroll", "VIP", "Extension filed",
]

FILING_STATUSES = [
    "Single", "Married filing jointly", "Married filing separately", "Head of household",
    "Qualifying surviving spouse",
]
# (applies to, name, type, dropdown options)
CUSTOM_FIELDS = [
    (CustomField.AppliesTo.ACCOUNT, "Filing status", CustomField.Type.DROPDOWN, FILING_STATUSES),
    (CustomField.AppliesTo.ACCOUNT, "Client since", CustomField.Type.DATE, []),
    (CustomField.AppliesTo.ACCOUNT, "Annual fee", CustomField.Type.NUMBER, []),
    (CustomField.AppliesTo.ACCOUNT, "Engagement letter signed", CustomField.Type.YES_NO, []),
    (CustomField.AppliesTo.ACCOUNT, "Website", CustomField.Type.URL, []),
    (CustomField.AppliesTo.CONTACT, "Preferred contact method", CustomField.Type.DROPDOWN,
     ["Email", "Phone", "Text message", "Mail"]),
    (CustomField.AppliesTo.CONTACT, "Occupation", CustomField.Type.TEXT, []),
    (CustomField.AppliesTo.CONTACT, "Work phone", CustomField.Type.PHONE, []),
    (CustomField.AppliesTo.CONTACT, "Work email", CustomField.Type.EMAIL, []),
]

ROLES = ["Tax preparer", "Reviewer"]

BUSINESS_TEMPLATE = "Business clients"
BUSINESS_FOLDERS = ["Formation documents", "Bank statements", "Payroll", "Sales tax", "Year-end close"]

# Two of these (the Chens, Brightside Bakery) are also in the sample file: importing it shows
# how existing accounts are matched and updated rather than duplicated.
ACCOUNTS = [
    {
        "name": "Robert & Linda Chen",
        "type": Account.Type.INDIVIDUAL,
        "tags": ["Individual 1040", "VIP"],
        "assignees": ["manager@demo.example"],
        "roles": {"Tax preparer": "manager@demo.example", "Reviewer": "admin@demo.example"},
        "custom": {"Filing status": "Married filing jointly", "Client since": "2016-02-01",
                   "Annual fee": 850, "Engagement letter signed": True},
        "contacts": [
            {"first_name": "Robert", "middle_name": "J.", "last_name": "Chen", "email": "robert.chen@example.com",
             "phones": ["+13125550142"], "date_of_birth": datetime.date(1968, 3, 14),
             "street": "1420 W Addison St", "city": "Chicago", "state": "IL", "postal_code": "60613",
             "country": "US", "tax_id": "000-12-3456", "custom": {"Occupation": "Civil engineer",
             "Preferred contact method": "Email"}, "link": {"login": True, "notify": True}},
            {"first_name": "Linda", "last_name": "Chen", "email": "linda.chen@example.com",
             "phones": ["+13125550143"], "street": "1420 W Addison St", "city": "Chicago", "state": "IL",
             "postal_code": "60613", "country": "US", "custom": {"Occupation": "Pharmacist"},
             "link": {"notify": True}},
        ],
    },
    {
        "name": "Brightside Bakery LLC",
        "type": Account.Type.COMPANY,
        "company_name": "Brightside Bakery LLC",
        "client_id": "C-1003",
        "tags": ["Business 1120-S", "Payroll"],
        "assignees": ["admin@demo.example"],
        "roles": {"Tax preparer": "admin@demo.example", "Reviewer": OWNER_EMAIL},
        "custom": {"Annual fee": 4200, "Website": "https://brightside-bakery.example.com",
                   "Engagement letter signed": True, "Client since": "2019-09-15"},
        "folder_template": BUSINESS_TEMPLATE,
        "contacts": [
            {"first_name": "Tom", "last_name": "Brightman", "email": "tom@brightside-bakery.example.com",
             "phones": ["+18475550110"], "street": "88 Main St", "city": "Evanston", "state": "IL",
             "postal_code": "60201", "country": "US", "custom": {"Work phone": "+18475550111"},
             "link": {"login": True, "notify": True, "email_sync": True}},
        ],
    },
    {
        "name": "Maria Gonzalez",
        "type": Account.Type.INDIVIDUAL,
        "tags": ["Individual 1040"],
        "assignees": ["manager@demo.example"],
        "roles": {"Tax preparer": "manager@demo.example"},
        "custom": {"Filing status": "Head of household", "Annual fee": 450},
        "contacts": [
            {"first_name": "Maria", "middle_name": "Elena", "last_name": "Gonzalez",
             "email": "maria.gonzalez@example.net", "phones": ["+17735550187"],
             "date_of_birth": datetime.date(1979, 7, 2), "city": "Chicago", "state": "IL", "country": "US",
             "custom": {"Preferred contact method": "Text message"}, "link": {"login": True, "notify": True}},
        ],
    },
    {
        "name": "Eastside Medical Billing Inc",
        "type": Account.Type.COMPANY,
        "company_name": "Eastside Medical Billing Inc",
        "tags": ["Business 1120-S", "Bookkeeping", "Extension filed"],
        "assignees": ["admin@demo.example", "staff@demo.example"],
        "roles": {"Tax preparer": "staff@demo.example", "Reviewer": "admin@demo.example"},
        "custom": {"Annual fee": 6800, "Website": "https://eastside-billing.example.com"},
        "folder_template": BUSINESS_TEMPLATE,
        "contacts": [
            {"first_name": "Janet", "last_name": "Wu", "email": "janet.wu@eastside-billing.example.com",
             "phones": ["+13125550120"], "custom": {"Occupation": "CEO"},
             "link": {"login": True, "notify": True}},
            {"first_name": "Paul", "last_name": "Greer", "email": "paul.greer@eastside-billing.example.com",
             "custom": {"Occupation": "Office manager", "Work email": "ap@eastside-billing.example.com"},
             "link": {"notify": True}},
        ],
    },
    {
        "name": "Hiro & Yuki Nakamura",
        "type": Account.Type.INDIVIDUAL,
        "tags": ["Individual 1040"],
        "assignees": ["staff@demo.example"],
        "custom": {"Filing status": "Married filing jointly", "Engagement letter signed": False},
        "contacts": [
            {"first_name": "Hiro", "last_name": "Nakamura", "email": "hiro.nakamura@example.org",
             "phones": ["+16305550150"], "date_of_birth": datetime.date(1984, 11, 3), "link": {"login": True}},
            {"first_name": "Yuki", "last_name": "Nakamura", "link": {}},
        ],
    },
    {
        "name": "Riverside Community Foundation",
        "type": Account.Type.OTHER,
        "tags": ["Nonprofit 990"],
        "assignees": [OWNER_EMAIL],
        "roles": {"Reviewer": OWNER_EMAIL},
        "custom": {"Client since": "2021-01-10", "Website": "https://riverside-foundation.example.org"},
        "folder_template": None,
        "contacts": [
            {"first_name": "Denise", "last_name": "Okoro", "email": "treasurer@riverside-foundation.example.org",
             "custom": {"Occupation": "Board treasurer"}, "link": {"notify": True}},
        ],
    },
]


class Command(BaseCommand):
    help = (
        f'Creates the demo firm "{FIRM_NAME}" (slug "{FIRM_SLUG}") with a team, tags, custom fields, '
        "account roles, folder templates and a few accounts, and copies a sample client list to "
        "try the import on. Only with DEBUG on. Safe to run again: nothing is duplicated, and the "
        f"demo logins' password is reset to {PASSWORD!r} so the login always works. Applies "
        "migrations first."
    )

    def handle(self, *args, verbosity: int, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo firm has well-known passwords, so it is only created with DEBUG on: "
                "run DEBUG=1 clientport demo on your own machine."
            )
        prepare_local_dirs()
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))

        created = build_demo_firm()
        sample = copy_sample_file()

        login_url = f"{settings.SITE_URL.rstrip('/')}/login/"
        state = "created" if created else "already there, brought up to date"
        self.stdout.write(self.style.SUCCESS(f'Demo firm "{FIRM_NAME}" {state}.'))
        self.stdout.write(f"Log in at {login_url}")
        self.stdout.write(f"  email:    {OWNER_EMAIL}")
        self.stdout.write(f"  password: {PASSWORD}")
        others = ", ".join(f"{email} ({label})" for email, label in _team_labels())
        self.stdout.write(f"Other demo logins, same password: {others}.")
        portal_url = f"{settings.SITE_URL.rstrip('/')}/portal/login/"
        self.stdout.write(f"Client portal at {portal_url} as a client who accepted the invitation:")
        self.stdout.write(f"  email:    {PORTAL_CLIENT_EMAIL}")
        self.stdout.write(f"  password: {PASSWORD}")
        self.stdout.write(f"Sample client list to import: {sample}")


def _team_labels():
    for email, _name, role, manage_contacts in TEAM:
        if role == Membership.Role.ADMIN:
            yield email, "admin"
        elif manage_contacts:
            yield email, "member with Manage contacts"
        else:
            yield email, "member without Manage contacts"


@transaction.atomic
def build_demo_firm() -> bool:
    """Creates what is missing and leaves the rest; returns whether the firm was new."""
    owner = _user_with_demo_password(OWNER_EMAIL, "Dana Whitaker")
    firm = Firm.objects.filter(slug=FIRM_SLUG).first()
    created = firm is None
    if created:
        firm = services.firm_create(name=FIRM_NAME, slug=FIRM_SLUG, owner=owner)

    # The demo firm's owner is the actor of everything the demo adds.
    actor = Membership.objects.select_related("firm", "user").get(firm=firm, user=owner)
    members = {OWNER_EMAIL: actor}
    for email, full_name, role, manage_contacts in TEAM:
        _user_with_demo_password(email, full_name)
        members[email] = services.member_add(
            actor=actor, email=email, full_name=full_name, role=role, can_manage_contacts=manage_contacts
        )

    tags = {tag.name: tag for tag in services.tags_get_or_create(firm=firm, names=TAGS)}
    fields = {name: _custom_field(firm, applies_to, name, kind, options) for applies_to, name, kind, options in CUSTOM_FIELDS}
    roles = {name: services.account_role_get_or_create(firm=firm, name=name) for name in ROLES}
    templates = {
        BUSINESS_TEMPLATE: FolderTemplate.objects.filter(firm=firm, name=BUSINESS_TEMPLATE).first()
        or services.folder_template_create(firm=firm, name=BUSINESS_TEMPLATE, folders=BUSINESS_FOLDERS)
    }

    for spec in ACCOUNTS:
        if Account.objects.filter(firm=firm, name_key=normalize_name_key(spec["name"])).exists():
            continue
        template = spec.get("folder_template", "default")
        account = services.account_create(
            actor=actor,
            name=spec["name"],
            type=spec["type"],
            company_name=spec.get("company_name", ""),
            client_id=spec.get("client_id", ""),
            tags=[tags[name] for name in spec["tags"]],
            assignees=[members[email] for email in spec["assignees"]],
            custom_values=_custom_values(fields, spec["custom"]),
            folder_template=templates[template] if template in templates else template,
        )
        for role_name, email in spec.get("roles", {}).items():
            services.account_role_assign(account=account, role=roles[role_name], member=members[email])
        for person in spec["contacts"]:
            contact = _contact(actor, fields, person)
            services.contact_link(actor=actor, account=account, contact=contact, **person["link"])
    _portal_client(firm, actor)
    return created


def _portal_client(firm: Firm, actor: Membership) -> None:
    """Robert Chen has accepted his invitation (his contact has a portal login with the demo
    password) and finds one document the firm shared with his household."""
    from portal.services import documents_upload_by_team

    contact = Contact.objects.filter(firm=firm, email_key=normalize_email_key(PORTAL_CLIENT_EMAIL)).first()
    if contact is None:
        return
    user = _user_with_demo_password(PORTAL_CLIENT_EMAIL, contact.full_name)
    if contact.portal_user_id != user.pk:
        contact.portal_user = user
        contact.save(update_fields=["portal_user"])
    now = timezone.now()
    links = AccountContact.objects.filter(contact=contact, login=True).select_related("account")
    links.exclude(invitation=AccountContact.Invitation.ACCEPTED).update(
        invitation=AccountContact.Invitation.ACCEPTED, invited_at=now, accepted_at=now
    )
    for link in links:
        account = link.account
        if account.documents.filter(original_name=PORTAL_CLIENT_DOCUMENT).exists():
            continue
        folder = next((path for path in account.folders if path == "Correspondence"), "")
        letter = ContentFile(
            f"Welcome, {contact.first_name}. Upload your tax documents into the folders of "
            f"{account.name}; we share your returns here.\n".encode(),
            name=PORTAL_CLIENT_DOCUMENT,
        )
        documents_upload_by_team(actor=actor, account=account, folder=folder, files=[letter], shared=True)


def _user_with_demo_password(email: str, full_name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name)
    user.set_password(PASSWORD)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user


def _custom_field(firm: Firm, applies_to: str, name: str, kind: str, options: list[str]) -> CustomField:
    existing = CustomField.objects.filter(firm=firm, applies_to=applies_to, key=normalize_name_key(name)).first()
    return existing or services.custom_field_create(
        firm=firm, applies_to=applies_to, name=name, field_type=kind, options=options
    )


def _custom_values(fields: dict[str, CustomField], values: dict) -> dict:
    return {fields[name].value_key: value for name, value in values.items()}


def _contact(actor: Membership, fields: dict[str, CustomField], person: dict) -> Contact:
    """The person's contact: an existing one with the same email is reused, as the import does."""
    email = person.get("email", "")
    if email:
        existing = Contact.objects.filter(firm=actor.firm, email_key=normalize_email_key(email)).first()
        if existing is not None:
            return existing
    details = {key: value for key, value in person.items() if key not in ("custom", "link")}
    return services.contact_create(actor=actor, custom_values=_custom_values(fields, person.get("custom", {})), **details)


def copy_sample_file() -> Path:
    """A fresh copy each run, so an edited sample can always be started over."""
    target = Path(settings.VAR_DIR) / "demo" / SAMPLE_FILE.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE_FILE, target)
    return target
