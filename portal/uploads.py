"""The size limit of a portal upload, enforced while the body arrives (as the import's upload
does, imports/views/upload.py), for all the files of one post together."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat

# Room for the multipart envelope around the files (boundaries, headers, the other fields).
MULTIPART_OVERHEAD = 64 * 1024


class BatchSizeLimitUploadHandler(FileUploadHandler):
    """Stops the upload once its files together pass the limit, before the rest is stored.

    Inserted first, so an oversized chunk never reaches Django's memory or temporary-file
    handlers; `exceeded` tells the view why the files are missing."""

    def __init__(self, request=None, limit: int = 0):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def max_upload_text() -> str:
    return filesizeformat(settings.PORTAL_MAX_UPLOAD_BYTES)


def too_large_message() -> str:
    return (f"These files are larger than the {max_upload_text()} limit of one upload. "
            "Upload them in several smaller groups.")


def declared_too_large(request) -> bool:
    """Refused from the declared size alone: not a byte of the body is read."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return declared > settings.PORTAL_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD


def limit_upload(request) -> BatchSizeLimitUploadHandler:
    """Puts the limit in front of the request's upload handlers; call before the body is read."""
    handler = BatchSizeLimitUploadHandler(request, settings.PORTAL_MAX_UPLOAD_BYTES)
    request.upload_handlers.insert(0, handler)
    return handler


def files_text(count: int) -> str:
    """"1 file", "3 files": the count of an upload in a message."""
    return f"{count:,} file{'' if count == 1 else 's'}"
