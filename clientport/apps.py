from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ClientportConfig(AppConfig):
    """Holds the project-wide commands (serve, demo) and the base templates and stylesheet."""

    name = "clientport"

    def ready(self):
        from clientport.db import raise_sqlite_parameter_limit

        connection_created.connect(raise_sqlite_parameter_limit, dispatch_uid="clientport-sqlite-params")
