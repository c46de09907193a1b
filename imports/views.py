from django.shortcuts import render

from crm.permissions import import_permission_required


@import_permission_required
def start(request):
    """Placeholder until the import wizard lands: the entry point the lists link to."""
    return render(request, "crm/import_coming_soon.html")
