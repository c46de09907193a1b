"""`python -m tests.scale.sequential FIRM FILE...` (from the repository root, DATABASE_URL set):
imports the files into the firm one after the other in one process, as `clientport import` does
each (the same command, called in turn): the reference the concurrent imports must equal,
without paying a process start-up per file."""

import io
import os
import sys

import django


def main(firm: str, paths: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientport.settings")
    django.setup()
    from django.core.management import call_command

    for path in paths:
        call_command("import", path, "--firm", firm, "--user", f"owner@{firm}.example", "--json",
                     stdout=io.StringIO())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
