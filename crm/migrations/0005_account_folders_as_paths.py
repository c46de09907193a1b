"""An account's folders become a list of paths on the account instead of a row each.

A folder template of seven folders made seven rows for every account an import created: most
of the rows a large import wrote. The paths are copied over in their order, then the table goes.
"""

from django.db import migrations, models


def copy_folders(apps, schema_editor):
    Account = apps.get_model("crm", "Account")
    Folder = apps.get_model("crm", "Folder")
    paths: dict[int, list[str]] = {}
    for account_id, path in Folder.objects.order_by("account_id", "path").values_list("account_id", "path").iterator():
        paths.setdefault(account_id, []).append(path)
    for account_id, folder_paths in paths.items():
        Account.objects.filter(pk=account_id).update(folder_paths=folder_paths)


def copy_back(apps, schema_editor):
    Account = apps.get_model("crm", "Account")
    Folder = apps.get_model("crm", "Folder")
    rows = []
    for account_id, folder_paths in Account.objects.exclude(folder_paths=[]).values_list("id", "folder_paths").iterator():
        rows.extend(Folder(account_id=account_id, path=path) for path in folder_paths)
    Folder.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("crm", "0004_fewer_indexes_written_per_row")]

    operations = [
        migrations.AddField(
            model_name="account", name="folder_paths", field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(copy_folders, copy_back),
        migrations.DeleteModel(name="Folder"),
        migrations.RenameField(model_name="account", old_name="folder_paths", new_name="folders"),
    ]
