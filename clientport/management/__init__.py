"""Project-wide commands (`clientport serve`, `clientport demo`) and what they share."""

from pathlib import Path

from django.conf import settings
from django.db import connections


def prepare_local_dirs() -> None:
    """Creates var/ (and the folder of a local SQLite file) so a fresh checkout starts at once:
    SQLite creates its database file but not the folder it lives in, and WhiteNoise warns on
    every start when STATIC_ROOT is missing (it serves from the apps' folders meanwhile)."""
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    for database in connections.settings.values():
        if database["ENGINE"] != "django.db.backends.sqlite3":
            continue
        name = str(database["NAME"] or "")
        if name and name != ":memory:" and not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
