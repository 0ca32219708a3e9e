"""A confirmation before every irreversible action (issue 19): withdraw, reject, return, the
council's result, a decision, returning a whole tờ trình, removing a row from it, signing.

Without JavaScript the action's form posts to its own URL; the view answers with a page naming
what will happen and to whom (`ask`), which posts the same fields again with `confirmed=1`
("Xác nhận") or goes back ("Quay lại"). The CSRF token is issued anew and the version travels
with the other fields, so a page someone acted on since is refused as stale on confirmation and
nothing changes. With JavaScript (web/static/confirm.js) the form's `data-confirm` text — made by
the same `sentence` below — is shown in a dialog and the form is posted with `confirmed=1`.

`{field}` in a sentence stands for a value typed in the form (a decision's number, the reason):
the page fills it from the posted form, the dialog from the inputs; `{n}` is the number of
ticked rows.
"""
import re

from flask import Flask, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")


def confirmed() -> bool:
    return request.form.get("confirmed") == "1"


def sentence(kind: str, **kw) -> str:
    """What an action will do, in the user's language; one text for the page and the dialog."""
    texts = {
        "withdraw": lambda: _("Rút hồ sơ đề nghị %(award)s của %(name)s. Hồ sơ dừng lại, không trình tiếp được "
                      "và không hoàn tác được. Lý do: {reason}", **kw),
        "reject": lambda: _("Từ chối đề nghị %(award)s cho %(name)s. Hồ sơ kết thúc và không hoàn tác được. "
                    "Lý do: {reason}", **kw),
        "return": lambda: _("Trả lại hồ sơ đề nghị %(award)s của %(name)s cho đơn vị bổ sung. Lý do: {reason}", **kw),
        "vote": lambda: _("Ghi kết quả bỏ phiếu của Hội đồng cho %(name)s (%(award)s): {votes.yes} đồng ý, "
                  "{votes.no} không đồng ý, {votes.present} có mặt. Kết quả không sửa được sau khi ghi.", **kw),
        "decide": lambda: _("Quyết định khen thưởng %(award)s cho %(name)s theo quyết định số {decision.number} "
                    "ngày {decision.date}. Hồ sơ kết thúc và không hoàn tác được.", **kw),
        "dossier_return": lambda: _("Trả lại cả tờ trình %(number)s (%(n)s người/tập thể) cho đơn vị. Lý do: {reason}",
                            **kw),
        "remove": lambda: _("Bỏ %(name)s khỏi tờ trình %(number)s.", **kw),
        "votes": lambda: _("Ghi kết quả phiên họp Hội đồng cho %(n)s người/tập thể của tờ trình %(number)s. "
                   "Kết quả không sửa được sau khi ghi.", **kw),
        "decide_rows": lambda: _("Ghi quyết định khen thưởng số {decision.number} ngày {decision.date} cho {n} "
                         "người/tập thể đã chọn của tờ trình %(number)s. Không hoàn tác được.", **kw),
        "review_return": lambda: _("Trả lại {n} người/tập thể đã chọn của tờ trình %(number)s cho đơn vị bổ sung. "
                                   "Lý do: {reason}", **kw),
        "review_reject": lambda: _("Từ chối {n} người/tập thể đã chọn của tờ trình %(number)s. Không hoàn tác "
                                   "được. Lý do: {reason}", **kw),
        "sign_dossier": lambda: _("Ký và gửi tờ trình %(number)s (%(n)s người/tập thể) lên cấp trên.", **kw),
        "sign_decision": lambda: _("Ký số quyết định %(number)s. Sau khi ký, văn bản không sửa được.", **kw),
    }
    return texts[kind]()


def filled(text: str, n: int | None = None) -> str:
    """The sentence with the values the form carried (an empty one shows as —)."""
    def value(m: re.Match) -> str:
        if m[1] == "n":
            return str(n if n is not None else len(request.form.getlist("ids")))
        return (request.form.get(m[1]) or "").strip() or "—"
    return PLACEHOLDER.sub(value, text)


def ask(text: str, back: str, names: list[str] | None = None, n: int | None = None, extra: str | None = None,
        fields: list[tuple[str, object]] | None = None, target: str | None = None):
    """The confirmation page: the sentence, whom it touches, and the form posted again (or
    `fields` posted to `target`: an imported tally sheet goes to the tally form's command)."""
    if fields is None:
        fields = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirmed")]
    return render_template("confirm_action.html", text=filled(text, n), extra=extra, names=names or [], fields=fields,
                           target=target or request.path, back=back)


def attribute(text: str) -> Markup:
    """` data-confirm="…"` for a form or button (escaped; the dialog fills the placeholders)."""
    return Markup(' data-confirm="%s"') % text


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(confirm_text=sentence, confirm_attr=attribute)
