"""Contacts without an email get a NULL email key instead of an empty one.

NULLs are distinct in a unique index, so a plain unique (firm, email_key) index enforces "one
contact per email in a firm" and also serves lookups by email, which the partial index it
replaces could not (an import batch's `email_key IN (...)` needed a second index on the same
columns, one more B-tree written for every imported contact).
"""

from django.db import migrations, models


def empty_to_null(apps, schema_editor):
    apps.get_model("crm", "Contact").objects.filter(email_key="").update(email_key=None)


def null_to_empty(apps, schema_editor):
    apps.get_model("crm", "Contact").objects.filter(email_key__isnull=True).update(email_key="")


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0005_account_folders_as_paths'),
        ('imports', '0002_review_check_and_notification'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='contact',
            name='contact_unique_email_per_firm',
        ),
        migrations.RemoveIndex(
            model_name='contact',
            name='crm_contact_firm_id_13baa5_idx',
        ),
        migrations.AlterField(
            model_name='contact',
            name='email_key',
            field=models.CharField(blank=True, editable=False, max_length=254, null=True),
        ),
        migrations.RunPython(empty_to_null, null_to_empty),
        migrations.AddConstraint(
            model_name='contact',
            constraint=models.UniqueConstraint(fields=('firm', 'email_key'), name='contact_unique_email_per_firm'),
        ),
    ]
