from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The client portal: a firm's clients sign in, see their accounts' folders and documents,
    upload files and correct their contact details (docs/crm-rules.md, "Client portal and documents")."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "Client portal"
