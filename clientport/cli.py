"""The `clientport` command: every Django management command, e.g. `clientport serve`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientport.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["clientport", *sys.argv[1:]])
    except ImproperlyConfigured as exc:
        # A configuration mistake deserves its one sentence, not a traceback.
        sys.exit(f"clientport: {exc}")


if __name__ == "__main__":
    main()
