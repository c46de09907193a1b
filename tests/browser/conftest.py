"""Browser tests: Playwright drives the system Chromium against Django's live server.

The live server runs tasks with the ImmediateBackend of tests/settings.py, so an import runs
inline when Start is pressed and its page already shows the end of the progress bar.
"""

import os
import re

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API leaves an event loop running in the main thread; Django's ORM calls
# from the test itself would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1360, "height": 900}, "accept_downloads": True}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed_in(page, live_server, owner, firm):
    """The page of a browser signed in as the firm's owner (session cookie of a test login)."""
    client = Client()
    client.force_login(owner)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )
    page.set_default_timeout(15_000)
    return page


class Screenshots:
    """Full-page screenshots of each step under var/screenshots/, for a person to look at."""

    def __init__(self, page, prefix: str):
        self.page = page
        self.prefix = prefix
        self.folder = settings.VAR_DIR / "screenshots"
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob(f"{prefix}-*.png"):  # a test's pictures are from its last run only
            old.unlink()
        self.count = 0

    def __call__(self, name: str) -> None:
        self.count += 1
        safe = re.sub(r"[^a-z0-9-]+", "-", name.lower())
        self.page.screenshot(path=str(self.folder / f"{self.prefix}-{self.count:02d}-{safe}.png"), full_page=True)


@pytest.fixture
def shots(signed_in, request):
    return Screenshots(signed_in, re.sub(r"[^a-z0-9-]+", "-", request.node.name.lower()).strip("-"))
