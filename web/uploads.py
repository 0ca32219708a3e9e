"""Files in and out of the web layer, shared by the API and the UI: the multipart field `file`,
and a generated paper sent as a download."""
import io

from flask import request, send_file

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


def send_download(name: str, data: bytes, content_type: str):
    """A generated file as an attachment that is neither sniffed nor cached."""
    resp = send_file(io.BytesIO(data), mimetype=content_type, as_attachment=True, download_name=name)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
