from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("clients/import/", views.start, name="start"),
    path("clients/import/history/", views.history, name="history"),
    path("clients/import/new/<slug:kind>/", views.upload, name="upload"),
    path("clients/import/<int:pk>/file/", views.file, name="file"),
    path("clients/import/<int:pk>/accounts/", views.accounts, name="step_accounts"),
    path("clients/import/<int:pk>/settings/", views.settings_step, name="step_settings"),
    path("clients/import/<int:pk>/contacts/", views.contacts, name="step_contacts"),
    path("clients/import/<int:pk>/review/", views.review, name="review"),
    path("clients/import/<int:pk>/review/check/", views.check_progress, name="check_progress"),
    path("clients/import/<int:pk>/review/duplicates/", views.decide_duplicates, name="decide_duplicates"),
    path("clients/import/<int:pk>/start/", views.start_import, name="start_import"),
    path("clients/import/<int:pk>/", views.job_page, name="job"),
    path("clients/import/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("clients/import/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("clients/import/<int:pk>/resume/", views.resume, name="resume"),
    path("clients/import/<int:pk>/undo/", views.undo_page, name="undo"),
    path("clients/import/<int:pk>/undo/progress/", views.undo_progress, name="undo_progress"),
    path("clients/import/<int:pk>/undo/cancel/", views.undo_cancel, name="undo_cancel"),
    path("clients/import/<int:pk>/discard/", views.discard, name="discard"),
    path("clients/import/<int:pk>/skipped-rows.zip", views.skipped_rows, name="skipped_rows"),
    path("clients/import/<int:pk>/automatic-mapping/", views.use_automatic_mapping, name="use_automatic_mapping"),
    path("settings/import-mappings/", views.mapping_list, name="saved_mappings"),
    path("settings/import-mappings/<int:pk>/rename/", views.mapping_rename, name="saved_mapping_rename"),
    path("settings/import-mappings/<int:pk>/delete/", views.mapping_delete, name="saved_mapping_delete"),
    path("settings/import-mappings/<int:pk>/download/", views.mapping_download, name="saved_mapping_download"),
]
