"""With DEBUG off (as in these tests), an unhandled exception in a page reaches stderr with the
request's path and the user's id, and without the values its message quoted."""

import io
import logging

import pytest
from django.urls import reverse

from crm import selectors

A_CELL_VALUE = "ann.lee@acme.example"


def console_handler() -> logging.StreamHandler:
    """The handler settings.LOGGING gives django.request (pytest adds its own capturing ones)."""
    [handler] = [h for h in logging.getLogger("django.request").handlers if type(h) is logging.StreamHandler]
    return handler


@pytest.fixture
def stderr_log():
    """What the console handler writes (it holds on to the real stderr)."""
    handler = console_handler()
    captured = io.StringIO()
    previous = handler.setStream(captured)
    yield captured
    handler.setStream(previous)


def test_a_crash_in_a_page_is_logged_with_path_and_user_but_not_the_values(owner_client, owner, monkeypatch, stderr_log):
    def broken(**kwargs):
        raise ValueError(f"duplicate key: Key (email)=({A_CELL_VALUE}) already exists")

    monkeypatch.setattr(selectors, "account_list", broken)
    owner_client.raise_request_exception = False
    response = owner_client.get(reverse("crm:account_list"))

    assert response.status_code == 500
    log = stderr_log.getvalue()
    assert f"Internal Server Error: {reverse('crm:account_list')}" in log
    assert f"[path={reverse('crm:account_list')} user={owner.pk}]" in log
    assert "Traceback" in log and "builtins.ValueError: (message withheld" in log
    assert A_CELL_VALUE not in log

