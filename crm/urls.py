from django.urls import path

from crm import views

app_name = "crm"

urlpatterns = [
    path("clients/accounts/", views.account_list, name="account_list"),
]
