"""The account form's custom fields: what a typed value is stored as."""

import pytest

from crm import services
from crm.forms import AccountForm, custom_field_name
from crm.models import CustomField
from tests.actors import owner_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def fields(firm):
    def make(name, field_type):
        return services.custom_field_create(firm=firm, applies_to=CustomField.AppliesTo.ACCOUNT, name=name,
                                            field_type=field_type)

    return {"Fee": make("Fee", "number"), "Year end": make("Year end", "date"),
            "Retainer": make("Retainer", "yes_no"), "Referral": make("Referral", "text")}


def stored(firm, fields, typed: dict[str, str], *, account=None) -> dict:
    """The custom values the form stores when posted with `typed` (field name -> text): by field
    name, plus any key of another field the account already held."""
    data = {"name": "Acme LLC", "type": "company"}
    data.update({custom_field_name(fields[name]): text for name, text in typed.items()})
    form = AccountForm(data, firm=firm, account=account)
    assert form.is_valid(), form.errors
    names = {field.value_key: name for name, field in fields.items()}
    return {names.get(key, key): value for key, value in form.custom_values().items()}


@pytest.mark.parametrize(
    ("name", "typed", "value"),
    [
        ("Fee", "12", 12),
        ("Fee", "12.50", 12.5),
        ("Year end", "2024-02-29", "2024-02-29"),
        ("Retainer", "true", True),
        ("Retainer", "false", False),
        ("Referral", "  Dr. Lee  ", "Dr. Lee"),
    ],
)
def test_a_typed_custom_value_is_stored_as_json(firm, fields, name, typed, value):
    assert stored(firm, fields, {name: typed}) == {name: value}


@pytest.mark.parametrize(("name", "typed"), [("Fee", ""), ("Year end", ""), ("Retainer", "unknown"),
                                             ("Referral", "   ")])
def test_an_empty_custom_value_stores_nothing(firm, fields, name, typed):
    assert stored(firm, fields, {name: typed}) == {}


def test_emptying_a_value_removes_it_and_keeps_the_values_of_fields_the_form_does_not_show(firm, fields):
    account = services.account_create(actor=owner_of(firm), name="Acme LLC", folder_template=None)
    account.custom_values = {fields["Fee"].value_key: 12, "999": "a deleted field's value"}
    account.save()
    assert stored(firm, fields, {"Fee": "", "Referral": "Dr. Lee"}, account=account) == {
        "Referral": "Dr. Lee", "999": "a deleted field's value"}
