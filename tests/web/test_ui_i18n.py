"""Vietnamese by default, English on request; dates as Vietnamese officials write them."""
import re
import unicodedata
from datetime import datetime, UTC
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.browser_support import *
from tests.scenarios import draft

WEB = Path(__file__).resolve().parents[2] / "web"
CATALOG = WEB / "translations" / "en" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def lang_of(body: str) -> str:
    return re.search(r'<html lang="(\w+)">', body).group(1)


def test_pages_are_vietnamese_until_the_user_switches_and_the_choice_stays(web):
    visitor = web()
    body = WebUser.text(visitor.get("/login"))
    assert lang_of(body) == "vi" and "Tên đăng nhập" in body and 'hreflang="en"' in body
    body = WebUser.text(visitor.get("/login?lang=en"))
    assert lang_of(body) == "en" and "Username" in body and "Tên đăng nhập" not in body
    visitor.login("vtc.canbo")
    body = WebUser.text(visitor.get("/inbox"))
    assert lang_of(body) == "en" and "My inbox" in body and "Unit commendation officer" in body
    body = WebUser.text(visitor.get("/plans?lang=vi"))
    assert lang_of(body) == "vi" and "Kế hoạch thi đua, khen thưởng" in body
    assert lang_of(WebUser.text(visitor.get("/dashboard"))) == "vi"


def test_names_from_the_rules_follow_the_language(web, sqlite_db, people, plan):
    n = draft(sqlite_db, people, plan)
    officer = web("vtc.canbo")
    vi = WebUser.text(officer.get(f"/nominations/{n.id}"))
    assert "Bằng khen của Thủ tướng Chính phủ" in vi and "Dự thảo" in vi and "Trình" in vi
    en = WebUser.text(officer.get(f"/nominations/{n.id}?lang=en"))
    assert "Certificate of Merit of the Prime Minister" in en and "Draft" in en and "Submit" in en
    assert "Nguyễn Văn An" in en  # people's names are never translated


def test_dates_are_dd_mm_yyyy_in_hanoi_time(web, sqlite_db, people, plan):
    late_evening_utc = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 01:30 on the 24th in Hà Nội
    n = draft(sqlite_db, people, plan, now=late_evening_utc)
    body = WebUser.text(web("vtc.canbo").get(f"/nominations/{n.id}"))
    assert ">24/11/2026 01:30</time>" in body
    assert re.search(r"Ngày lập</dt><dd>24/11/2026</dd>", body)


def translated(message) -> bool:
    if message is None:
        return False
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(forms)


def flat(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_the_committed_catalog_is_the_compiled_translation_and_is_complete():
    po_path, mo_path = CATALOG / "messages.po", CATALOG / "messages.mo"
    with po_path.open("rb") as f:
        catalog = read_po(f, locale="en")
    # Compare what the compiled catalogue says, not its bytes: Babel versions lay the file out
    # differently, and the bytes of a catalogue compiled by another Babel are just as good.
    with mo_path.open("rb") as f:
        compiled = read_mo(f)
    expect = {(flat(m.id), m.context): flat(m.string) for m in catalog if m.id and not m.fuzzy and translated(m)}
    got = {(flat(m.id), m.context): flat(m.string) for m in compiled if m.id}
    assert got == expect, "run: pybabel compile -d web/translations -l en"
    with (WEB / "translations" / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    wanted = {m[0] if isinstance(m, tuple) else m
              for _, _, m, _, _ in extract_from_dir(str(WEB), method_map, options_map, keywords=KEYWORDS)}
    assert len(wanted) > 200
    assert sorted(m for m in wanted if not translated(catalog.get(m))) == []
    assert not [m.id for m in catalog if m.id and m.fuzzy]
    assert all(unicodedata.is_normalized("NFC", m) for m in wanted)


def test_templates_are_written_in_nfc():
    for f in (WEB / "templates").rglob("*.html"):
        assert unicodedata.is_normalized("NFC", f.read_text(encoding="utf-8")), f.name
