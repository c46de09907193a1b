"""Portal invitations after a large import: does the import wait for them, and how fast does the
worker send them?

    python -m bench.invitations 10000 [--mail locmem|file]

In a fresh SQLite database (the production settings, the database task queue): imports a
generated client list of that many rows with Login on for the Email column and *Send
invitations*, timing the import's run up to its end (the mails are only queued then), then runs
the real worker (`db_worker --batch`) until the queue is empty and times it. Prints one JSON
line: links queued, mails sent, seconds and mails/s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def run(rows: int, mail_backend: str, workdir: Path) -> dict:
    db = workdir / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientport.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ["DEBUG"] = "0"
    os.environ["CLIENTPORT_VAR_DIR"] = str(workdir / "var")
    os.environ.pop("EMAIL_HOST", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.files import File
    from django.core.management import call_command

    if mail_backend == "locmem":
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        mail.outbox = []
    call_command("migrate", verbosity=0)

    from bench.generate import write
    from crm import services
    from crm.models import AccountContact, User
    from crm.permissions import actor_for
    from imports import jobs
    from imports.mapping import Mapping, PortalSwitches

    path = write(workdir / f"clients-{rows}.csv", rows)
    user = User.objects.create_user(email="bench@example.com", password="bench-password")
    firm = services.firm_create(name="Bench Tax & Accounting", slug="bench", owner=user)
    actor = actor_for(firm, user)
    with path.open("rb") as handle:
        job = jobs.job_create(actor=actor, file=File(handle, name=path.name), original_name=path.name)
    mapping = Mapping.from_dict(job.mapping)
    mapping.settings.portal = {"Email": PortalSwitches(login=True, notify=False, email_sync=False)}
    mapping.settings.send_invitations = True
    errors = jobs.job_set_mapping(job, mapping, actor=actor)
    if errors:
        raise SystemExit("mapping refused: " + " ".join(errors))
    jobs.job_start(job, actor=actor, enqueue=False)

    started = time.perf_counter()
    job = jobs.job_run(job.pk)
    import_seconds = time.perf_counter() - started
    if job.status != "finished":
        raise SystemExit(f"import {job.status}: {job.error}")
    links = AccountContact.objects.filter(queued_by_import=job.pk)
    queued_at_finish = links.filter(invitation="queued").count()
    sent_at_finish = links.filter(invitation="invited").count()

    started = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    send_seconds = time.perf_counter() - started
    invited = links.filter(invitation="invited").count()
    contacts = links.filter(invitation="invited").values("contact_id").distinct().count()
    if mail_backend == "locmem":
        mails = len(mail.outbox)
    else:  # one file per connection (a batch), its messages one after another
        mails = sum(text.count("\nSubject: ") + text.startswith("Subject: ")
                    for text in (f.read_text() for f in (workdir / "var" / "mail").glob("*.log")))
    return {
        "rows": job.counts["rows_total"],
        "import_seconds": round(import_seconds, 2),
        "links_queued_when_the_import_finished": queued_at_finish,
        "links_invited_when_the_import_finished": sent_at_finish,
        "links_invited_by_the_worker": invited,
        "contacts_mailed": contacts,
        "mails": mails,
        "mail_backend": mail_backend,
        "worker_seconds": round(send_seconds, 2),
        "links_per_s": round(invited / send_seconds),
        "still_queued": links.filter(invitation="queued").count(),
        "failed": links.filter(invitation="failed").count(),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", type=int, nargs="?", default=10_000)
    parser.add_argument("--mail", choices=["locmem", "file"], default="locmem")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="clientport-bench-invitations-"))
    try:
        print(json.dumps(run(args.rows, args.mail, workdir)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
