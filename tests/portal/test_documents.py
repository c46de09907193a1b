"""Documents both ways: the team uploads (shared or internal), shares and deletes; the client
uploads into a folder and downloads what the firm shared; files are stored under names the server
chooses, served as attachments, and refused above the size limit before they reach the disk."""

from pathlib import Path

import pytest
from django.urls import reverse

from crm.models import AccountEvent
from portal.models import Document
from tests.portal.conftest import upload


def stored_files(media_root) -> list[Path]:
    return sorted(p for p in Path(media_root).rglob("*") if p.is_file())


def test_a_client_uploads_several_files_into_a_folder_as_one_batch(ana_client, ana, firm, media_in_tmp):
    response = ana_client.post(reverse("portal:upload", args=[ana.account.pk]), {
        "folder": "2025/Tax return", "files": [upload("1099-INT.pdf"), upload("../../etc/passwd", b"root:x")],
    })
    assert response.status_code == 302
    new = list(Document.objects.filter(account=ana.account, folder="2025/Tax return", side="client"))
    assert sorted(d.original_name for d in new) == ["1099-INT.pdf", "passwd"]
    assert len({d.batch for d in new}) == 1
    for document in new:
        # Stored under a name the server chose, in the firm's own directory.
        assert document.file.name.startswith(f"portal/{firm.pk}/") and "passwd" not in document.file.name
        assert (Path(media_in_tmp) / document.file.name).is_file()
    assert not any("passwd" in str(p) or "1099" in str(p) for p in stored_files(media_in_tmp))
    page = ana_client.get(reverse("portal:account", args=[ana.account.pk])).content.decode()
    assert "1099-INT.pdf" in page and "Uploaded 2 files." in page


def test_the_team_sees_client_uploads_newest_first_marked_as_client_uploads(owner_client, ana_client, ana):
    ana_client.post(reverse("portal:upload", args=[ana.account.pk]), {"folder": "Payroll", "files": [upload("march.pdf")]})
    page = owner_client.get(reverse("crm:account_detail", args=[ana.account.pk])).content.decode()
    documents = page[page.index('id="documents"'):]
    assert documents.index("march.pdf") < documents.index("paystub.pdf")  # newest first
    assert "Client upload" in documents and "Ana Rivera" in documents
    assert "internal notes.txt" in documents  # the team sees its internal documents too


def test_the_client_sees_shared_documents_and_uploads_but_never_internal_ones(ana_client, ana):
    page = ana_client.get(reverse("portal:account", args=[ana.account.pk])).content.decode()
    assert "engagement.pdf" in page and "paystub.pdf" in page
    assert "internal notes.txt" not in page
    for folder in ("2025", "2025/Tax return", "Payroll", "Top level"):
        assert folder in page


def test_a_download_is_an_attachment_with_the_original_name_escaped_never_the_claimed_type(owner_client, ana,
                                                                                       ana_client):
    owner_client.post(reverse("documents:upload", args=[ana.account.pk]), {
        "folder": "", "shared": "on",
        "files": [upload('résumé "final";.html', b"<script>alert(1)</script>", content_type="text/html")],
    })
    document = Document.objects.get(original_name='résumé "final";.html')
    for client, name in ((ana_client, "portal:download"), (owner_client, "documents:download")):
        response = client.get(reverse(name, args=[ana.account.pk, document.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
        assert response["Content-Type"] == "application/octet-stream"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=utf-8''r%C3%A9sum%C3%A9%20%22final%22%3B.html" in disposition


def test_the_team_uploads_internal_and_shares_later(owner_client, ana_client, ana):
    owner_client.post(reverse("documents:upload", args=[ana.account.pk]),
                      {"folder": "2025", "files": [upload("draft return.pdf")]})
    draft = Document.objects.get(original_name="draft return.pdf")
    assert draft.side == "team" and not draft.shared
    client_url = reverse("portal:download", args=[ana.account.pk, draft.pk])
    assert ana_client.get(client_url).status_code == 404
    owner_client.post(reverse("documents:share", args=[ana.account.pk, draft.pk]), {"shared": "on"})
    assert ana_client.get(client_url).status_code == 200
    owner_client.post(reverse("documents:share", args=[ana.account.pk, draft.pk]), {})
    assert ana_client.get(client_url).status_code == 404
    kinds = list(AccountEvent.objects.filter(account=ana.account).values_list("kind", flat=True)[:3])
    assert kinds == ["document_unshared", "document_shared", "document_uploaded"]


def test_a_clients_upload_has_no_sharing_switch(owner_client, ana):
    response = owner_client.post(reverse("documents:share", args=[ana.account.pk, ana.uploaded.pk]), {}, follow=True)
    assert "always visible" in response.content.decode()


def test_deleting_a_document_removes_its_file(owner_client, ana, media_in_tmp, django_capture_on_commit_callbacks):
    path = Path(media_in_tmp) / ana.uploaded.file.name
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("documents:delete", args=[ana.account.pk, ana.uploaded.pk]))
    assert not Document.objects.filter(pk=ana.uploaded.pk).exists() and not path.exists()
    assert AccountEvent.objects.filter(account=ana.account, kind="document_deleted").exists()


@pytest.mark.parametrize("folder", ["Not a folder", "../2025", "2024"])
def test_an_upload_into_a_folder_the_account_does_not_have_is_refused(ana_client, ana, folder):
    response = ana_client.post(reverse("portal:upload", args=[ana.account.pk]),
                               {"folder": folder, "files": [upload("x.pdf")]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Document.objects.filter(original_name="x.pdf").exists()


def test_the_service_refuses_a_folder_the_account_does_not_have(ana):
    from django.core.exceptions import ValidationError

    from portal import services

    with pytest.raises(ValidationError, match="is not a folder of Rivera Household"):
        services.documents_upload_by_client(user=ana.user, link=ana.link, folder="Elsewhere", files=[upload()])


def test_an_empty_file_or_no_file_is_refused_with_a_reason(ana_client, ana):
    url = reverse("portal:upload", args=[ana.account.pk])
    response = ana_client.post(url, {"folder": "", "files": [upload("blank.pdf", b"")]})
    assert response.status_code == 400 and "The submitted file is empty." in response.content.decode()
    response = ana_client.post(url, {"folder": ""})
    assert response.status_code == 400 and "Choose at least one file to upload." in response.content.decode()
    assert not Document.objects.filter(original_name="blank.pdf").exists()


def test_an_upload_over_the_limit_is_stopped_before_the_disk(ana_client, ana, settings, media_in_tmp):
    settings.PORTAL_MAX_UPLOAD_BYTES = 100 * 1024
    before = stored_files(media_in_tmp)
    big = upload("scan.pdf", b"x" * (150 * 1024))
    response = ana_client.post(reverse("portal:upload", args=[ana.account.pk]), {"folder": "", "files": [big]},
                               follow=True)
    assert "larger than the 100.0" in response.content.decode()
    assert not Document.objects.filter(original_name="scan.pdf").exists()
    assert stored_files(media_in_tmp) == before


def test_the_limit_counts_all_the_files_of_one_upload_together(owner_client, ana, settings, media_in_tmp):
    settings.PORTAL_MAX_UPLOAD_BYTES = 100 * 1024
    halves = [upload(f"part{n}.pdf", b"x" * (60 * 1024)) for n in range(2)]
    response = owner_client.post(reverse("documents:upload", args=[ana.account.pk]),
                                 {"folder": "", "files": halves}, follow=True)
    assert "larger than the 100.0" in response.content.decode()
    assert not Document.objects.filter(original_name__startswith="part").exists()


def test_a_declared_size_over_the_limit_is_refused_without_reading_the_body(ana_client, ana, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1024
    response = ana_client.generic("POST", reverse("portal:upload", args=[ana.account.pk]), b"",
                                  content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(10 ** 9))
    assert response.status_code == 302 and not Document.objects.filter(side="client").exclude(pk=ana.uploaded.pk).exists()


def test_the_team_upload_form_is_shown_only_to_those_who_may_upload(client, owner_client, plain_member, ana):
    url = reverse("crm:account_detail", args=[ana.account.pk])
    assert 'data-testid="team-upload"' in owner_client.get(url).content.decode()
    client.force_login(plain_member)
    page = client.get(url).content.decode()
    assert 'data-testid="team-upload"' not in page and "engagement.pdf" in page


def test_long_names_fit_the_history_and_the_name_loses_its_path(owner_client, ana):
    from portal.services import clean_original_name

    assert clean_original_name("C:\\Users\\ana\\Desktop\\w2.pdf") == "w2.pdf"
    assert clean_original_name("tab\tand\nnewline.pdf") == "tabandnewline.pdf"
    long_name = "y" * 300 + ".pdf"
    assert clean_original_name(long_name) == "y" * 251 + ".pdf"
    files = [upload(f"{n}" + "z" * 250 + ".pdf") for n in range(6)]
    owner_client.post(reverse("documents:upload", args=[ana.account.pk]), {"folder": "", "files": files})
    assert Document.objects.filter(original_name__endswith="z.pdf").count() == 6
    event = AccountEvent.objects.filter(account=ana.account, kind="document_uploaded").first()
    assert len(event.summary) <= 500 and event.summary.endswith("and 3 more in the top level")
