from django.shortcuts import render

from crm.permissions import firm_member_required
from crm.selectors import account_list as select_accounts


@firm_member_required
def account_list(request):
    accounts = select_accounts(firm=request.firm)[:50]
    return render(request, "crm/account_list.html", {"accounts": accounts})
