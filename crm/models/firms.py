from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Signs in with an email address; may belong to several firms."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split() or [self.email])[0]


class Firm(models.Model):
    """A tenant: an accounting or tax practice. Nothing ever crosses firms."""

    class DateOrder(models.TextChoices):
        MDY = "MDY", "Month/Day/Year (US)"
        DMY = "DMY", "Day/Month/Year"

    class IndividualNames(models.TextChoices):
        FIRST_LAST = "first_last", "First Last (Ana Rivera)"
        LAST_FIRST = "last_first", "Last, First (Rivera, Ana)"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    # Phones without a country code are read as numbers of this country (ISO 3166 alpha-2).
    default_country = models.CharField(max_length=2, default="US")
    date_order = models.CharField(max_length=3, choices=DateOrder.choices, default=DateOrder.MDY)
    # The template applied to new accounts; null means "no folders".
    default_folder_template = models.ForeignKey(
        "crm.FolderTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How a new individual's account is named after its person, by import and by hand.
    individual_account_names = models.CharField(
        max_length=10, choices=IndividualNames.choices, default=IndividualNames.FIRST_LAST
    )
    # Uploaded client lists hold SSNs: their files (and the cells of skipped rows) are deleted
    # this many days after the import finishes, or after the upload for imports never run.
    import_file_retention_days = models.PositiveSmallIntegerField(default=30)
    # The client portal: how long an invitation link stays valid, and whether the team is
    # emailed when a client uploads a document.
    portal_invitation_days = models.PositiveSmallIntegerField(default=7)
    notify_team_on_client_upload = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name

    @property
    def individual_account_name_example(self) -> str:
        return self.individual_account_name("Ana", "Rivera")

    def individual_account_name(self, first_name: str, last_name: str) -> str:
        """The name a new individual's account takes from its person, in the firm's form."""
        if self.individual_account_names == self.IndividualNames.LAST_FIRST and first_name and last_name:
            return f"{last_name}, {first_name}"
        return " ".join(part for part in (first_name, last_name) if part)


class Membership(models.Model):
    """A team member: a user's place in a firm, with a role and access rights."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    # Access right "Manage contacts": lets a plain member import and edit clients.
    can_manage_contacts = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "user"], name="membership_unique_user_per_firm")]
        ordering = ["user__full_name", "user__email"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.firm})"

    @property
    def display_name(self) -> str:
        return self.user.full_name or self.user.email

    @property
    def is_owner_or_admin(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)
