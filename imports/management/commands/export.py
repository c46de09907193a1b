"""`clientport export --firm SLUG [--kind accounts|contacts] [--format csv|json]`."""

import sys

from django.core.management.base import BaseCommand, CommandError

from crm.models import Firm
from imports import exporting


class Command(BaseCommand):
    help = "Exports every account with its contacts (or every contact) of a firm, as CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="The firm's slug.")
        parser.add_argument("--kind", choices=["accounts", "contacts"], default="accounts")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        firm = Firm.objects.filter(slug=options["firm"]).first()
        if firm is None:
            raise CommandError(f"No firm has the slug {options['firm']!r}.")
        export = {
            ("accounts", "csv"): exporting.export_accounts_csv,
            ("accounts", "json"): exporting.export_accounts_json,
            ("contacts", "csv"): exporting.export_contacts_csv,
            ("contacts", "json"): exporting.export_contacts_json,
        }[(options["kind"], options["format"])]
        if options["output"]:
            encoding = "utf-8-sig" if options["format"] == "csv" else "utf-8"
            with open(options["output"], "w", encoding=encoding, newline="") as out:
                export(firm, out)
        else:
            export(firm, self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout)
