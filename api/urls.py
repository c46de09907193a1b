"""Settings > API tokens. The API itself is mounted at /api/v1/ in clientport/urls.py."""

from django.urls import path

from api import views

app_name = "api_tokens"

urlpatterns = [
    path("settings/api-tokens/", views.token_list, name="list"),
    path("settings/api-tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
