"""The team's side of documents: actions on the account page's Documents section."""

from django.urls import path

from portal.views import team

app_name = "documents"

urlpatterns = [
    path("clients/accounts/<int:pk>/documents/upload/", team.upload, name="upload"),
    path("clients/accounts/<int:pk>/documents/<int:document_pk>/", team.download, name="download"),
    path("clients/accounts/<int:pk>/documents/<int:document_pk>/share/", team.share, name="share"),
    path("clients/accounts/<int:pk>/documents/<int:document_pk>/delete/", team.delete, name="delete"),
]
