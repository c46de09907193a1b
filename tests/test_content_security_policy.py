"""Every page is sent with a Content-Security-Policy that runs only our own files, and no page
needs more: no inline <script>, no on...= handler, no style="..." (static/clientport/app.js
does what those did). tests/browser/test_pages.py checks that a real browser agrees."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from imports.models import ImportJob
from tests.crm.test_pages_access import ALL_GETS, make_world
from tests.imports.test_wizard import url, wizard_upload


class InlineCode(HTMLParser):
    """Collects what a strict CSP would refuse in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names and dict(attrs).get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("inline <style>")
        self.found += [f"{name}= on <{tag}>" for name in names if name.startswith("on") or name == "style"]
        self.found += [f"javascript: link on <{tag}>" for _, value in attrs if (value or "").startswith("javascript:")]


def refused_by_csp(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def every_page(client, firm, owner):
    """Each page's response, as the owner sees it: the firm's pages and every wizard step,
    then the page of the started import with its polling progress bar."""
    world = make_world(firm, owner)
    for name, args in ALL_GETS:
        yield client.get(reverse(name, args=args(world)))
    job = wizard_upload(client)
    for step in ("file", "step_accounts", "step_settings", "step_contacts", "review"):
        yield client.get(url(step, job))
    client.post(url("start_import", job))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, rows_done=1)
    for page in (url("job", job), url("job_progress", job), reverse("imports:history"), reverse("imports:start")):
        yield client.get(page)


def test_every_page_has_a_strict_policy_and_no_inline_code(owner_client, firm, owner):
    pages = 0
    for response in every_page(owner_client, firm, owner):
        page = response.request["PATH_INFO"]
        assert response.status_code == 200, page
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy, page
        assert refused_by_csp(response.content.decode()) == [], page
        pages += 1
    assert pages == len(ALL_GETS) + 9


@pytest.mark.parametrize("name", ["login", "password_reset"])
def test_sign_in_pages_have_the_policy_and_no_inline_code(client, db, name):
    response = client.get(reverse(name))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert refused_by_csp(response.content.decode()) == []


def test_htmx_is_told_not_to_inject_its_indicator_styles(owner_client):
    html = owner_client.get(reverse("crm:account_list")).content.decode()
    assert re.search(r'<meta name="htmx-config" content=\'\{[^}]*"includeIndicatorStyles": false', html)


def test_delete_questions_are_data_attributes_with_the_name_escaped(owner_client, firm):
    from crm import services

    services.tag_get_or_create(firm=firm, name='VIP "gold" <b>')
    html = owner_client.get(reverse("crm:settings_tags")).content.decode()
    assert 'data-confirm="Delete the tag VIP &quot;gold&quot; &lt;b&gt;? It is removed from 0 account(s)' in html
