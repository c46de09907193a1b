from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from api.main import api
from clientport.auth import PasswordResetView
from crm.forms import EmailAuthenticationForm
from crm.views.invitations import invitation_accept

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="crm:account_list", permanent=False)),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The reset link of services.password_set_link points at /password-reset/<uid>/<token>/.
    path(
        "password-reset/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # The portal invitation's link (crm.invitations.invitation_url): before any portal/ include.
    path("portal/invitation/<uidb64>/<token>/", invitation_accept, name="portal_invitation"),
    path("admin/", admin.site.urls),
    path("", include("crm.urls")),
    path("", include("imports.urls")),
    path("portal/", include("portal.urls")),
    path("", include("portal.team_urls")),
    path("", include("webhooks.urls")),
    path("api/v1/", api.urls),
    path("", include("api.urls")),
]
