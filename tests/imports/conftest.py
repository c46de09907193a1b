"""Helpers to run the real import pipeline on small files written by the tests."""

from __future__ import annotations


import csv
import io

import pytest
from django.core.files.base import ContentFile

from crm.permissions import actor_for
from imports import jobs
from imports.mapping import AccountTypeChoice, ColumnMapping, ImportSettings, Mapping, PortalSwitches
from imports.pipeline import run_pipeline
from tests.actors import uploader


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def make_mapping(columns: dict[str, str], *, kind="accounts-and-contacts", account_type="auto", type_value="",
                 **settings) -> Mapping:
    """columns: header -> target, or header -> "account.custom:Field name[:type]"."""
    mapped = []
    for header, target in columns.items():
        field = field_type = ""
        if target.count(":"):
            target, field, *rest = target.split(":")
            field_type = rest[0] if rest else ""
        mapped.append(ColumnMapping(column=header, target=target, field=field, field_type=field_type))
    portal = {col: PortalSwitches(**sw) for col, sw in settings.pop("portal", {}).items()}
    return Mapping(
        kind=kind, columns=mapped, account_type=AccountTypeChoice(mode=account_type, value=type_value),
        settings=ImportSettings(portal=portal, **settings),
    )


def upload(firm, user, rows_or_text, *, name="clients.csv", kind="accounts-and-contacts", mapping=None):
    content = rows_or_text if isinstance(rows_or_text, (str, bytes)) else csv_text(rows_or_text)
    if isinstance(content, str):
        content = content.encode("utf-8")
    # The uploader acts as their membership of the firm (None if they have none: refused).
    return jobs.job_create(actor=actor_for(firm, user), file=ContentFile(content, name=name), original_name=name,
                           kind=kind, mapping=mapping)


def import_rows(firm, user, rows, columns=None, *, kind="accounts-and-contacts", dry_run=False, **options):
    """Imports `rows` (header first) with an explicit mapping (or the automatic one) and
    returns (job, counters dict)."""
    mapping = make_mapping(columns, kind=kind, **options) if columns is not None else None
    job = upload(firm, user, rows, kind=kind, mapping=mapping)
    if dry_run:
        return job, jobs.job_dry_run(job).counters.as_dict()
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.status == "finished", job.error
    return job, dict(job.counts)


__all__ = ["csv_text", "import_rows", "make_mapping", "run_pipeline", "upload"]
