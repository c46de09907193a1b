from crm.models import Account


def test_account_name_key_is_normalised(firm):
    account = Account.objects.create(firm=firm, name="  ACME   Corp ")
    assert account.name_key == "acme corp"
