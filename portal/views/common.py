"""What the portal's views share: sending a stored document back, and accepting an upload with
the size limit in place before the body is read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

from portal.models import Document


def document_response(document: Document) -> FileResponse:
    """The file as a download: always an attachment of type application/octet-stream (what the
    uploader claimed the file was is never trusted), under its original name, which
    FileResponse escapes into the Content-Disposition header."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("This document's file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name,
                        content_type="application/octet-stream")


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)
