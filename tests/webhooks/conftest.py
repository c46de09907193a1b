"""A webhook receiver on localhost for the tests, and endpoints pointing at it.

The receiver is a tiny threaded http.server: it records each request (headers and raw body)
and answers with the next status of its script (200 when the script is used up)."""

from __future__ import annotations

import http.server
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from webhooks import addresses
from webhooks.models import Endpoint

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers still to give, in order
    redirect_to: str = ""


class _Handler(http.server.BaseHTTPRequestHandler):
    receiver: Receiver

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.receiver.requests.append(Received(dict(self.headers.items()), body))
        status = self.receiver.statuses.pop(0) if self.receiver.statuses else 200
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", self.receiver.redirect_to)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    """A receiver at http://127.0.0.1:<port>/hook; local webhooks are allowed as with DEBUG."""
    settings.WEBHOOKS_ALLOW_LOCAL = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    receiver = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hook")
    server.RequestHandlerClass = type("Handler", (_Handler,), {"receiver": receiver})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def public_dns(monkeypatch):
    """Every host resolves to a public address (the tests run offline)."""
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.216.34"])


def make_endpoint(firm, url, events=("import.finished", "import.failed", "account.created"), **fields) -> Endpoint:
    return Endpoint.objects.create(firm=firm, url=url, events=list(events), **fields)


def documented_verifier():
    """The verification snippet of docs/webhooks.md, run as written there."""
    section = DOCS.read_text(encoding="utf-8").split("## Verifying a delivery", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # noqa: S102 (our own documentation)
    return namespace["verify_clientport_signature"]
