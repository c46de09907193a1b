"""The import wizard's pages. Views parse and check input and call the job services
(imports/jobs.py); the ImportJob row is the wizard's state."""

from imports.views.drafts import discard
from imports.views.results import cancel, history, job_page, job_progress, resume, skipped_rows
from imports.views.review import check_progress, decide_duplicates, review, start_import
from imports.views.saved_mappings import (
    mapping_delete, mapping_download, mapping_list, mapping_rename, use_automatic_mapping,
)
from imports.views.steps import accounts, contacts, settings_step
from imports.views.undo import undo_cancel, undo_page, undo_progress
from imports.views.upload import file, start, upload

__all__ = [
    "accounts", "cancel", "check_progress", "contacts", "decide_duplicates", "discard", "file", "history",
    "job_page", "job_progress", "resume", "review", "settings_step", "skipped_rows", "start", "start_import",
    "undo_cancel", "undo_page", "undo_progress", "upload",
    "mapping_delete", "mapping_download", "mapping_list", "mapping_rename", "use_automatic_mapping",
]
