from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from crm import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(models.Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_country", "date_order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(models.Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "firm", "type", "status", "client_id"]
    list_filter = ["type", "status", "firm"]
    search_fields = ["name", "client_id"]
    raw_id_fields = ["firm"]
    filter_horizontal = ["tags", "assignees"]
    exclude = ["tax_id"]  # sensitive: never shown in full, not even to staff
    readonly_fields = ["tax_id_masked"]


@admin.register(models.Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "firm"]
    search_fields = ["first_name", "last_name", "email"]
    raw_id_fields = ["firm"]
    exclude = ["tax_id"]  # sensitive: never shown in full, not even to staff
    readonly_fields = ["tax_id_masked"]


for model in (models.Tag, models.CustomField, models.FolderTemplate, models.AccountRole):
    admin.site.register(model)
