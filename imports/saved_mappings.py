"""Remembered mappings: the mapping of an import, kept for the next file with the same columns.

Starting an import remembers its mapping under the file's header signature (`remember`); the
next upload of a file with that signature gets it preselected (`preselect`, called when a file
is read and its columns mapped afresh), checked against what the firm has now. Firms name, keep,
download and upload them in *Settings > Import mappings*. The rules are in docs/import-rules.md,
"Remembered mappings".
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from crm.models import AccountRole, CustomField, FolderTemplate, Membership
from crm.normalize import normalize_name_key
from crm.permissions import IMPORT, require
from imports.cleaning import mask_tax_id
from imports.mapping import IGNORE, KINDS, NAMED_FIELDS, VALID_TARGETS, Mapping
from imports.models import ImportJob, SavedMapping
from imports.sensitive import tax_id_columns

logger = logging.getLogger(__name__)

# Bumped if the way headers are normalised changes: older signatures then simply stop matching.
SIGNATURE_VERSION = 1
# An uploaded mapping file: a mapping of a 2,000-column file is ~300 KB.
MAX_UPLOAD_BYTES = 512 * 1024
NAME_MAX_LENGTH = 100


class MappingRefused(Exception):
    """A rename or an uploaded mapping that cannot be kept; str() says what and why."""


def normalise_header(header: str) -> str:
    """"  Email  Address " and "email address" are one column; "E-mail" and "Email" are not."""
    return " ".join(str(header).split()).casefold()


def header_signature(headers: list[str], kind: str) -> str:
    """The file's columns as a set (their order does not matter: the mapping names columns, not
    positions) with the import kind (a contacts-only mapping cannot serve an accounts import)."""
    keys = sorted(normalise_header(header) for header in headers)
    payload = json.dumps([SIGNATURE_VERSION, kind, keys], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- Remembering, when an import starts --------------------------------------------------------


def remember(job: ImportJob, *, actor: Membership) -> SavedMapping | None:
    """Keeps the started job's mapping as the automatic one of its header set (replacing the one
    kept before), and notes the use of the saved mapping it started from. A failure to remember
    is logged, never a failure to start."""
    require(actor, IMPORT, firm=job.firm_id)
    stored = ImportJob.objects.filter(pk=job.pk).values("mapping", "read_info", "kind").first()
    if not stored or not stored["mapping"] or not (stored["read_info"] or {}).get("headers"):
        return None
    read_info = stored["read_info"]
    headers = list(read_info["headers"])
    now = timezone.now()
    fields = {
        "kind": stored["kind"], "headers": headers, "mapping": _without_row_decisions(stored["mapping"]),
        "read_options": _read_options(stored["mapping"], read_info), "source_job": job,
        "created_by": actor.user, "last_used_at": now,
    }
    signature = header_signature(headers, stored["kind"])
    for attempt in range(2):  # a second start of the same columns at the same moment: once more
        try:
            with transaction.atomic():
                saved, _ = SavedMapping.objects.update_or_create(
                    firm_id=job.firm_id, signature=signature, is_named=False, defaults=fields)
                used = (read_info.get("saved_mapping") or {}).get("id")
                if used and used != saved.pk:
                    SavedMapping.objects.filter(firm_id=job.firm_id, pk=used).update(last_used_at=now)
            return saved
        except IntegrityError:
            if attempt:
                logger.exception("Could not remember the mapping of import #%s", job.pk)
        except DatabaseError:
            logger.exception("Could not remember the mapping of import #%s", job.pk)
            return None
    return None


def _read_options(mapping: dict, read_info: dict) -> dict:
    """The reading choices the person made (applied again) and what was detected (shown)."""
    detected = {name: read_info.get(name) for name in ("format", "encoding", "delimiter", "header_row", "sheet")}
    return {"choices": dict(mapping.get("read") or {}), "detected": detected}


# --- Finding one for a file, and applying it ---------------------------------------------------


def find(firm, headers: list[str], kind: str) -> SavedMapping | None:
    """The firm's mapping for these columns: a named one first (the most recently used), else
    the automatic one."""
    return (SavedMapping.objects.filter(firm=firm, signature=header_signature(headers, kind))
            .order_by("-is_named", F("last_used_at").desc(nulls_last=True), "-updated_at", "-pk").first())


@dataclass
class Adapted:
    mapping: dict  # the saved JSON with its columns fitted to this file
    notes: list[str]  # what could not be kept, one sentence each


def _without_row_decisions(mapping: dict) -> dict:
    """The mapping without the review's likely-duplicate decisions: they name rows of one file
    ("row 12 is account #5") and would merge the wrong clients in the next file."""
    return {key: value for key, value in mapping.items() if key != "duplicate_decisions"}


def adapt(saved: dict, automatic: Mapping, headers: list[str], firm) -> Adapted | None:
    """The saved mapping fitted to this file and to the firm as it is now: each column of the
    file takes its saved entry, except where that names a custom field or role the firm no
    longer has (or a target this version does not know): that column keeps its automatic
    mapping, with a note. Team members who left and folder templates deleted since are dropped,
    with a note. Every other key of the saved JSON is kept as it is. None if it does not fit."""
    if not isinstance(saved, dict):
        return None
    entries = [entry for entry in saved.get("columns") or [] if isinstance(entry, dict) and "column" in entry]
    by_name = {entry["column"]: entry for entry in entries}
    by_key = {normalise_header(entry["column"]): entry for entry in entries}
    customs = set(CustomField.objects.filter(firm=firm).values_list("applies_to", "key"))
    roles = set(AccountRole.objects.filter(firm=firm).values_list("key", flat=True))
    columns, notes, fell_back = [], [], []
    for auto in automatic.columns:
        entry = by_name.get(auto.column) or by_key.get(normalise_header(auto.column))
        if entry is None:
            columns.append(asdict(auto))
            continue
        gone = _missing_target(entry, customs, roles)
        if gone:
            notes.append(f"Column “{auto.column}” was mapped to {gone}, which no longer exists: it is mapped "
                         f"automatically.")
            columns.append(asdict(auto))
            fell_back.append(len(columns) - 1)
        else:
            columns.append({**entry, "column": auto.column})
    data = {**_without_row_decisions(saved), "columns": columns, "kind": automatic.kind}
    data["settings"] = _current_settings(data.get("settings"), headers, firm, notes)
    if _problems(data, headers) and fell_back:
        # An automatic target of a fallen-back column may be one another column already feeds.
        for index in fell_back:
            columns[index] = {**columns[index], "target": IGNORE, "field": "", "field_type": ""}
    if _problems(data, headers):
        return None
    return Adapted(mapping=data, notes=notes)


def _missing_target(entry: dict, customs: set, roles: set) -> str:
    """What the column's saved target names that is gone, as a phrase; "" when all is there."""
    target = str(entry.get("target") or IGNORE)
    if target == IGNORE:
        return ""
    if target not in VALID_TARGETS:
        return f"the target “{target}”"
    record, attribute = target.split(".", 1)
    if attribute not in NAMED_FIELDS:
        return ""
    name = str(entry.get("field") or "")
    key = normalize_name_key(name, 100)
    if attribute == "custom" and ("account" if record == "account" else "contact", key) not in customs:
        return f"the custom field “{name}”"
    if attribute == "role" and key not in roles:
        return f"the account role “{name}”"
    return ""


def _current_settings(settings, headers: list[str], firm, notes: list[str]):
    if not isinstance(settings, dict):
        return settings
    settings = dict(settings)
    active = {email.casefold() for email in Membership.objects.filter(firm=firm, is_active=True)
              .values_list("user__email", flat=True)}
    assignees = settings.get("assignees")
    if isinstance(assignees, list):
        kept = [email for email in assignees if isinstance(email, str) and email.casefold() in active]
        for email in assignees:
            if email not in kept:
                notes.append(f"{email} is no longer a team member: not assigned to every imported account.")
        settings["assignees"] = kept
    choices = settings.get("member_names")
    if isinstance(choices, dict):
        settings["member_names"] = {name: email for name, email in choices.items()
                                    if isinstance(email, str) and (not email or email.casefold() in active)}
    template = settings.get("folder_template")
    if isinstance(template, str) and template not in ("default", "none", "") and not (
            FolderTemplate.objects.filter(firm=firm, name=template).exists()):
        notes.append(f"The folder template “{template}” no longer exists: new accounts get the default folders.")
        settings["folder_template"] = "default"
    portal = settings.get("portal")
    if isinstance(portal, dict):
        names = {normalise_header(header): header for header in headers}
        settings["portal"] = {names.get(normalise_header(column), column): switches
                              for column, switches in portal.items()}
    return settings


def _problems(data: dict, headers: list[str]) -> list[str]:
    try:
        return Mapping.from_dict(data).validate(headers)
    except (ValueError, TypeError) as exc:
        return [str(exc)]


def preselect(job: ImportJob) -> SavedMapping | None:
    """After a file's columns were mapped automatically (`jobs.job_detect`): the firm's saved
    mapping for its columns, if any, becomes the job's mapping, with the file read again when
    it remembers reading choices. Recorded in `read_info["saved_mapping"]` for the upload step's
    banner. Returns the mapping applied, or None (the automatic mapping stays)."""
    from imports import jobs  # jobs calls this module: imported when used

    headers = list(job.read_info.get("headers") or [])
    saved = find(job.firm, headers, job.kind) if headers else None
    if saved is None:
        return None
    automatic = Mapping.from_dict(job.mapping)
    adapted = adapt(saved.mapping, automatic, headers, job.firm)
    if adapted is None:
        logger.info("Saved mapping %s does not fit import #%s; the automatic mapping is used.", saved.pk, job.pk)
        return None
    mapping = Mapping.from_dict(adapted.mapping)
    if mapping.read != automatic.read:
        try:
            jobs.job_detect(job, mapping=mapping)
        except jobs.ImportRefused:
            return None  # its reading choices do not read this file: nothing was changed
        if job.read_info.get("headers") != headers:
            jobs.job_detect(job, mapping=automatic)  # read and mapped as before
            return None
    else:
        _mask_samples(job.read_info, adapted.mapping, headers)
    job.mapping = adapted.mapping
    job.read_info = {**job.read_info, "custom_fields_not_suggested": 0, "saved_mapping": {
        "id": saved.pk, "name": saved.name if saved.is_named else "", "source_job": saved.source_job_id,
        "saved_at": saved.updated_at.isoformat(), "notes": adapted.notes,
    }}
    job.save(update_fields=["mapping", "read_info"])
    return saved


def _mask_samples(read_info: dict, mapping: dict, headers: list[str]) -> None:
    """The saved mapping may send another column to a tax ID: its samples are stored masked."""
    columns = read_info.get("columns") or []
    for index in tax_id_columns(mapping, headers):
        if index < len(columns):
            columns[index]["samples"] = [mask_tax_id(value) for value in columns[index].get("samples", [])]


def use_automatic(job: ImportJob, *, actor: Membership) -> None:
    """The upload step's "Use the automatic mapping instead": the file is read and mapped as if
    no mapping had been saved (its reading choices and settings go too)."""
    from imports import jobs

    require(actor, IMPORT, firm=job.firm_id)
    if job.status not in (ImportJob.Status.DRAFT, ImportJob.Status.READY):
        raise jobs.ImportRefused("This import has already started; its mapping can no longer change.")
    job.mapping = {}
    jobs.job_detect(job, use_saved=False)


def applied(job: ImportJob) -> dict | None:
    """What the upload step says of the saved mapping this job started from, if any."""
    note = (job.read_info or {}).get("saved_mapping")
    return note if isinstance(note, dict) else None


# --- Settings > Import mappings ----------------------------------------------------------------


def firm_mappings(firm):
    """The firm's saved mappings, named ones first, with their source import."""
    return SavedMapping.objects.filter(firm=firm).select_related("source_job")


def _clean_name(firm, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise MappingRefused("Give the mapping a name.")
    if len(name) > NAME_MAX_LENGTH:
        raise MappingRefused(f"A mapping's name has at most {NAME_MAX_LENGTH} characters.")
    taken = SavedMapping.objects.filter(firm=firm, is_named=True, name__iexact=name).exclude(pk=exclude)
    if taken.exists():
        raise MappingRefused(f"Another saved mapping is called “{name}”: choose another name.")
    return name


def mapping_rename(saved: SavedMapping, *, actor: Membership, name: str) -> SavedMapping:
    """Names the mapping, which keeps it: an automatic one becomes the firm's to keep (and the
    next import of the same columns remembers its mapping beside it)."""
    require(actor, IMPORT, firm=saved.firm_id)
    saved.name = _clean_name(saved.firm, name, exclude=saved.pk)
    saved.is_named = True
    try:
        with transaction.atomic():
            saved.save(update_fields=["name", "is_named", "updated_at"])
    except IntegrityError as exc:
        raise MappingRefused(f"Another saved mapping is called “{saved.name}”: choose another name.") from exc
    return saved


def mapping_delete(saved: SavedMapping, *, actor: Membership) -> None:
    require(actor, IMPORT, firm=saved.firm_id)
    saved.delete()


def mapping_json(saved: SavedMapping) -> str:
    """The mapping as the CLI's `--mapping` file (docs/mapping-example.json's format)."""
    return json.dumps(saved.mapping, indent=2, ensure_ascii=False) + "\n"


def mapping_upload(*, actor: Membership, name: str, content: bytes) -> SavedMapping:
    """A `--mapping` JSON file kept under `name`, for files whose columns are the ones it lists.
    Read and checked with the CLI's own code (`Mapping.from_json`, `Mapping.validate`); keys
    this version does not know at the top level are kept as they are."""
    require(actor, IMPORT)
    firm = actor.firm
    name = _clean_name(firm, name)
    if len(content) > MAX_UPLOAD_BYTES:
        raise MappingRefused(f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB; a mapping file is much smaller.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MappingRefused("The file is not UTF-8 text; upload the .json file a download or the CLI uses.") from exc
    try:
        mapping = Mapping.from_json(text)
    except ValueError as exc:
        raise MappingRefused(str(exc)) from exc
    data = json.loads(text)
    headers = [column.column for column in mapping.columns]
    if not headers:
        raise MappingRefused("The mapping lists no columns: it needs a \"columns\" list naming every column of "
                             "the file, ignored ones with \"target\": \"ignore\".")
    if len(set(headers)) != len(headers):
        raise MappingRefused("The mapping lists a column twice: " + ", ".join(
            sorted({f"“{h}”" for h in headers if headers.count(h) > 1})) + ".")
    if mapping.kind not in KINDS:
        raise MappingRefused(f"Unknown import kind {mapping.kind!r}; use one of {', '.join(KINDS)}.")
    errors = mapping.validate(headers)
    if errors:
        raise MappingRefused(" ".join(errors))
    try:
        with transaction.atomic():
            return SavedMapping.objects.create(
                firm=firm, signature=header_signature(headers, mapping.kind), kind=mapping.kind, headers=headers,
                name=name, is_named=True, mapping=data, read_options={"choices": asdict(mapping.read)},
                created_by=actor.user,
            )
    except IntegrityError as exc:
        raise MappingRefused(f"Another saved mapping is called “{name}”: choose another name.") from exc
