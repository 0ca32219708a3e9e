"""In a real browser: even a script that got into a page is not run (Content-Security-Policy),
and the pages cannot be framed by another site."""
from tests.browser_support import *


def test_an_injected_inline_script_or_style_is_refused_by_the_browser(desks):
    reviewer = desks("bo.chuyenvien")
    assert reviewer.errors == []
    reviewer.page.evaluate("""document.body.insertAdjacentHTML('beforeend',
        '<img src="/static/favicon.svg" onload="window.injected = 1"><p style="color: red">x</p>')""")
    reviewer.page.wait_for_load_state("networkidle")
    assert reviewer.page.evaluate("window.injected") is None
    assert any("Content Security Policy" in e and "script-src" in e for e in reviewer.errors)
    assert any("Content Security Policy" in e and "style-src" in e for e in reviewer.errors)


def test_another_site_cannot_frame_the_pages(desks, server):
    visitor = desks()
    visitor.page.set_content(f'<iframe id="f" src="{server.url}/login"></iframe>')
    for _ in range(50):  # the refusal is reported once the frame's response has arrived
        if any("frame-ancestors 'none'" in e for e in visitor.errors):
            break
        visitor.page.wait_for_timeout(100)
    assert any("frame-ancestors 'none'" in e for e in visitor.errors)
    assert visitor.page.frame_locator("#f").locator("input[name=username]").count() == 0
