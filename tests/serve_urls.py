"""The app's URLs and /fail/, a signed-in page whose error message quotes a client's email."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from clientport.urls import urlpatterns as app_urlpatterns

CLIENT_VALUE = "ann.lee@acme.example"


@login_required
def fail(request):
    raise ValueError(f"cannot read {CLIENT_VALUE}")


urlpatterns = [path("fail/", fail), *app_urlpatterns]
