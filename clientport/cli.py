"""The `clientport` command: every Django management command, e.g. `clientport serve`."""

import os
import signal
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientport.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["clientport", *sys.argv[1:]])
        sys.stdout.flush()  # here, where a closed pipe can still be handled
    except ImproperlyConfigured as exc:
        # A configuration mistake deserves its one sentence, not a traceback.
        sys.exit(f"clientport: {exc}")
    except BrokenPipeError:
        # The reader stopped early (`clientport export | head`): end quietly, as Unix tools do,
        # with the status of a process ended by SIGPIPE. Python would otherwise print a
        # traceback, then fail again flushing stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(128 + signal.SIGPIPE)


if __name__ == "__main__":
    main()
