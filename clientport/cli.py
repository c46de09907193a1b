"""The `clientport` command: every Django management command, e.g. `clientport serve`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientport.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["clientport", *sys.argv[1:]])


if __name__ == "__main__":
    main()
