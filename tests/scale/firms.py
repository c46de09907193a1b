"""`python -m tests.scale.firms SLUG...` (from the repository root, DATABASE_URL set): creates each
firm with an owner `owner@SLUG.example` and prints {slug: an API token with the import scope}."""

import json
import os
import sys

import django


def main(slugs: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientport.settings")
    django.setup()
    from api.tokens import token_create
    from crm import services
    from crm.models import User
    from crm.permissions import actor_for

    tokens = {}
    for slug in slugs:
        owner = User.objects.create_user(email=f"owner@{slug}.example", password="scale-suite-password")
        firm = services.firm_create(name=f"Firm {slug}", slug=slug, owner=owner)
        _, tokens[slug] = token_create(actor=actor_for(firm, owner), name="scale suite", scopes=["import"])
    print(json.dumps(tokens))


if __name__ == "__main__":
    main(sys.argv[1:])
