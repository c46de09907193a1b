from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Webhooks: a firm's HTTPS endpoints told, signed, when an import ends or an account is
    created (docs/webhooks.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = "Webhooks"
