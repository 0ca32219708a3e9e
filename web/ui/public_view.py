"""/cong-khai: the nominees posted for public comment (công khai), open to everyone, no login
(Law Art. 84(5); NĐ 98/2023 Art. 46(2) → NĐ 152/2025 Art. 44(2))."""
from flask import render_template

from workflow.nominations.posting import public_postings
from web.runtime import runtime
from web.ui import bp


@bp.get("/cong-khai")
def public_postings_page():
    rt = runtime()
    return render_template("public/postings.html", items=public_postings(rt.db, now=rt.now()))
