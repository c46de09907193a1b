from django.apps import AppConfig


class ClientportConfig(AppConfig):
    """Holds the project-wide commands (serve, demo) and the base templates and stylesheet."""

    name = "clientport"
