"""The app served for real: a werkzeug server on 127.0.0.1:<free port> in a thread, on the
`sqlite_db` copy of the demo and the test clock (for clients that speak HTTP themselves,
like Schemathesis). Take the fixtures with `from tests.live_server import *`.
"""
import pytest
import requests

from tests.browser_support import LiveServer, make_app
from tests.conftest import DEMO_PASSWORD

__all__ = ["live_server", "live_token", "LiveServer"]


@pytest.fixture
def live_server(sqlite_db, clock):
    live = LiveServer(make_app(sqlite_db, clock))
    yield live
    live.stop()


def live_token(live: LiveServer, username: str, password: str = DEMO_PASSWORD) -> str:
    """A bearer token for `username`, asked for over HTTP like any script would."""
    r = requests.post(f"{live.url}/api/v1/auth/token", json={"username": username, "password": password},
                      timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["token"]
