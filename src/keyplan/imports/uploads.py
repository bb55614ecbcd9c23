"""Uploads stopped at the import size limit while they stream in, before they reach the
disk: a 10 GB upload costs the server nothing but the reading.

Django hands every chunk of an uploaded file to this handler first. Past
``KEYPLAN_IMPORT_MAX_UPLOAD_BYTES`` it skips the rest of the file (the temporary file
already begun is deleted) and notes why on the request; the web import and the API turn
the note into their answer (``upload_refusal``).
"""

from pathlib import Path

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from keyplan.imports.limits import import_limits, shorten, size_words


def too_big(name: str, limit: int) -> str:
    return (
        f"{shorten(Path(name).name)} is larger than the limit of {size_words(limit)} for an "
        "upload (setting KEYPLAN_IMPORT_MAX_UPLOAD_BYTES)."
    )


class UploadSizeLimit(FileUploadHandler):
    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.limit = import_limits().upload_bytes

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            refused = getattr(self.request, "refused_uploads", {})
            refused[self.field_name] = too_big(self.file_name, self.limit)
            self.request.refused_uploads = refused
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file


def upload_refusal(request, field: str = "file") -> str:
    """Why the upload in ``field`` was not received ("" when it was, or none was sent).
    Read after the request's files were parsed."""
    return getattr(request, "refused_uploads", {}).get(field, "")
