"""The client portal, under /portal/."""

from django.urls import path

from portal.views import client

app_name = "portal"

urlpatterns = [
    path("", client.home, name="home"),
    path("login/", client.PortalLoginView.as_view(), name="login"),
    path("logout/", client.PortalLogoutView.as_view(), name="logout"),
    path("accounts/<int:pk>/", client.account, name="account"),
    path("accounts/<int:pk>/upload/", client.upload, name="upload"),
    path("accounts/<int:pk>/documents/<int:document_pk>/", client.download, name="download"),
    path("accounts/<int:pk>/details/", client.details, name="details"),
]
