"""The accounts' (firm, created_at) index served no query (lists sort by name), yet it was one
more B-tree written for every account an import creates."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0006_contact_email_key_null_without_email'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='account',
            name='crm_account_firm_id_79c6df_idx',
        ),
    ]
