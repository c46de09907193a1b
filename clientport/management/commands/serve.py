"""`clientport serve`: the web app and the background worker in one command (see the README)."""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from clientport.management import prepare_local_dirs

# The worker finishes the task in hand when asked to stop; after this long it is interrupted
# (a second signal makes django-tasks-db fail the task rather than leave it "running").
WORKER_GRACE_SECONDS = 10
# The web server gets as long to finish requests in flight.
WEB_GRACE_SECONDS = 5
KILL_AFTER_SECONDS = 5
POLL_SECONDS = 0.2
# Uploaded files past their firm's retention period are deleted at start-up and this often.
PURGE_EVERY_SECONDS = 3600


def _stop_with_parent() -> None:
    """Runs in each child before exec: the child gets SIGTERM if `serve` itself is killed
    (kill -9, a closed terminal), so no server or worker outlives it. Linux only."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = (
        "Serves Clientport: applies migrations, then runs the web server (gunicorn) and the "
        "background worker that runs imports (`clientport worker`) until Ctrl-C. "
        "If either stops, the other is stopped too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: %(default)s).")
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="Port to listen on (default: $PORT, else 8000).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=8,
            help="Request threads of the web server; progress bars poll, so keep a few spare (default: %(default)s).",
        )

    def handle(self, *args, host: str, port: int, threads: int, verbosity: int, **options):
        self._check_port_free(host, port)
        prepare_local_dirs()
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        # On SQLite the worker started below is the only one: imports left running by a previous
        # worker are orphaned and resume from their last committed batch at once. A shared
        # database may have live workers on other machines: there the workers' own sweep takes
        # over jobs whose heartbeat went silent (imports/management/commands/worker.py).
        if connections["default"].vendor == "sqlite":
            call_command("resume_imports", silent_for=0, verbosity=verbosity)
        self._purge_import_files(verbosity)
        # The children open their own connections; SQLite in particular should not see this
        # process hold one for the whole run.
        connections.close_all()

        stop_signal: list[int] = []

        def request_stop(signum, frame):
            stop_signal.append(signum)

        # Installed before the children start, so a Ctrl-C during start-up is not lost.
        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

        children = {
            "web server": self._start(
                [
                    sys.executable, "-m", "gunicorn", "clientport.wsgi:application",
                    "--bind", f"{host}:{port}",
                    "--worker-class", "gthread",
                    "--workers", "1",
                    "--threads", str(threads),
                    "--graceful-timeout", str(WEB_GRACE_SECONDS),
                    # Uploads of large client lists take a while on a slow link.
                    "--timeout", "120",
                    # Gunicorn's control socket lives in ~/.gunicorn, shared by every instance.
                    "--no-control-socket",
                ]
            ),
            "worker": self._start(
                [sys.executable, "-m", "clientport", "worker", "--no-reload", "--queue-name=*"]
            ),
        }

        display_host = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::", "::1") else host
        url = f"http://{display_host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"Clientport is running at {url}  (log in at {url}login/)"))
        self.stdout.write(
            f"Web server pid {children['web server'].pid} ({threads} threads), "
            f"background worker pid {children['worker'].pid}. Press Ctrl-C to stop."
        )
        self.stdout.flush()

        died = None
        next_purge = time.monotonic() + PURGE_EVERY_SECONDS
        while not stop_signal and died is None:
            died = next((name for name, child in children.items() if child.poll() is not None), None)
            if died is None:
                time.sleep(POLL_SECONDS)
            if time.monotonic() >= next_purge:
                self._purge_import_files(verbosity)
                next_purge = time.monotonic() + PURGE_EVERY_SECONDS

        if died is None:
            self.stdout.write(f"Received {signal.Signals(stop_signal[0]).name}: stopping the web server and the worker...")
            self.stdout.flush()
        self._stop(children, stop_signal)
        if died is not None:
            raise CommandError(
                f"The {died} stopped unexpectedly (exit code {children[died].returncode}); "
                "stopped the rest too. See the messages above."
            )
        self.stdout.write("Stopped.")

    def _purge_import_files(self, verbosity: int) -> None:
        """Uploaded client lists past their firm's retention are deleted (see purge_import_files);
        a failure is reported and retried next time, never a reason to stop serving."""
        try:
            call_command("purge_import_files", verbosity=verbosity)
        except Exception as error:  # noqa: BLE001 - the server keeps running either way
            self.stderr.write(f"Deleting old uploaded files failed ({error}); it is tried again in an hour.")
        finally:
            connections.close_all()

    def _check_port_free(self, host: str, port: int) -> None:
        # gunicorn would retry for several seconds and then log a traceback; say it plainly.
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    raise CommandError(
                        f"Port {port} is already in use: stop what runs there, or choose another "
                        "port with --port or PORT=..."
                    ) from error
                raise CommandError(f"Cannot listen on {host}:{port}: {error.strerror}.") from error

    def _start(self, command: list[str]) -> subprocess.Popen:
        # Own session: a Ctrl-C in the terminal reaches only `serve`, which then stops the
        # children in order (the worker may finish its task) instead of all at once.
        return subprocess.Popen(
            command,
            env=os.environ.copy(),
            start_new_session=True,
            preexec_fn=_stop_with_parent if sys.platform.startswith("linux") else None,
        )

    def _stop(self, children: dict[str, subprocess.Popen], stop_signal: list[int]) -> None:
        """SIGTERM to all; after the grace period (or at a second Ctrl-C) SIGTERM again, which
        interrupts a running task; finally SIGKILL whatever is left."""
        signals_before = len(stop_signal)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

        deadline = time.monotonic() + max(WORKER_GRACE_SECONDS, WEB_GRACE_SECONDS)
        while time.monotonic() < deadline and len(stop_signal) <= signals_before:
            if all(child.poll() is not None for child in children.values()):
                return
            time.sleep(POLL_SECONDS)

        for name, child in children.items():
            if child.poll() is None:
                self.stderr.write(f"The {name} is still running: interrupting it.")
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + KILL_AFTER_SECONDS
        while time.monotonic() < deadline:
            if all(child.poll() is not None for child in children.values()):
                return
            time.sleep(POLL_SECONDS)

        for child in children.values():
            if child.poll() is None:
                child.kill()
                child.wait()
