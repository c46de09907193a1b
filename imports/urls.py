from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("clients/import/", views.start, name="start"),
]
