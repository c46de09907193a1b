from django.urls import path

from crm import views

app_name = "crm"

urlpatterns = [
    path("clients/accounts/", views.account_list, name="account_list"),
    path("clients/accounts/new/", views.account_create, name="account_create"),
    path("clients/accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("clients/accounts/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("clients/accounts/<int:pk>/contacts/add/", views.account_contact_add, name="account_contact_add"),
    path(
        "clients/accounts/<int:pk>/contacts/<int:link_pk>/switch/",
        views.account_contact_switch,
        name="account_contact_switch",
    ),
    path("clients/accounts/<int:pk>/merge/", views.account_merge_pick, name="account_merge_pick"),
    path("clients/accounts/<int:pk>/merge/<int:other_pk>/", views.account_merge, name="account_merge"),
    path("clients/accounts/<int:pk>/contacts/<int:link_pk>/invite/", views.link_invite, name="link_invite"),
    path("clients/accounts/invite/", views.accounts_invite, name="accounts_invite"),
    path("clients/accounts/bulk/", views.accounts_bulk, name="accounts_bulk"),
    path("clients/contacts/bulk/", views.contacts_bulk, name="contacts_bulk"),
    path("clients/filters/<str:list_kind>/save/", views.saved_filter_save, name="saved_filter_save"),
    path("clients/filters/<int:pk>/delete/", views.saved_filter_delete, name="saved_filter_delete"),
    path("clients/contacts/", views.contact_list, name="contact_list"),
    path("clients/contacts/new/", views.contact_create, name="contact_create"),
    path("clients/contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("clients/contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("firm/switch/", views.firm_switch, name="firm_switch"),
    path("settings/", views.firm_settings, name="settings"),
    path("settings/team/", views.team, name="settings_team"),
    path("settings/team/<int:pk>/", views.member_update, name="member_update"),
    path("settings/team/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("settings/team/<int:pk>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path("settings/tags/", views.tags, name="settings_tags"),
    path("settings/tags/<int:pk>/rename/", views.tag_rename, name="tag_rename"),
    path("settings/tags/<int:pk>/delete/", views.tag_delete, name="tag_delete"),
    path("settings/custom-fields/", views.custom_fields, name="settings_custom_fields"),
    path("settings/custom-fields/<int:pk>/delete/", views.custom_field_delete, name="custom_field_delete"),
    path("settings/custom-fields/delete/", views.custom_fields_delete, name="custom_fields_delete"),
    path("settings/custom-fields/merge/", views.custom_fields_merge, name="custom_fields_merge"),
    path("settings/roles/", views.roles, name="settings_roles"),
    path("settings/roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
    path("settings/folders/", views.folder_templates, name="settings_folders"),
    path("settings/folders/default/", views.folder_template_default, name="folder_template_default"),
    path("settings/folders/<int:pk>/delete/", views.folder_template_delete, name="folder_template_delete"),
]
