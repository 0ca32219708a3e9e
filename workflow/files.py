"""The type of an uploaded file, read from its bytes (nhận dạng tệp), never from the client.

A browser's Content-Type is whatever the sender says: a report "attachment" declared
`text/html` and served back with that type would run as a page of our origin. Downloads carry
the type sniffed here, `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff`.
"""
OCTET = "application/octet-stream"
ZIP_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
OLE_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def sniff(data: bytes, filename: str = "") -> str:
    """The content type the bytes show; the file name only tells apart formats that share a
    container (a ZIP is a .docx or an .xlsx). Anything unknown is application/octet-stream."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return ZIP_TYPES.get(ext, "application/zip")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE_TYPES.get(ext, OCTET)
    return OCTET
