"""The file of a multipart form (field `file`), shared by the API and the UI forms."""
from flask import request

from workflow.errors import InvalidInput


def read_file(max_bytes: int) -> tuple[str | None, bytes]:
    """The multipart field `file`: (its name as sent, its bytes), read no further than needed."""
    f = request.files.get("file")
    if f is None:
        raise InvalidInput("Thiếu tệp (trường 'file')", "Missing the file (field 'file')", field="file")
    data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidInput(f"Tệp lớn quá {max_bytes // (1024 * 1024)} MB",
                           f"The file is larger than {max_bytes // (1024 * 1024)} MB", field="file")
    return f.filename, data
