from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("settings/webhooks/", views.endpoint_list, name="endpoints"),
    path("settings/webhooks/<int:pk>/", views.endpoint_detail, name="endpoint"),
    path("settings/webhooks/<int:pk>/toggle/", views.endpoint_toggle, name="endpoint_toggle"),
    path("settings/webhooks/<int:pk>/rotate/", views.endpoint_rotate, name="endpoint_rotate"),
    path("settings/webhooks/<int:pk>/ping/", views.endpoint_ping, name="endpoint_ping"),
    path("settings/webhooks/<int:pk>/delete/", views.endpoint_delete, name="endpoint_delete"),
    path("settings/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/", views.delivery_redeliver,
         name="delivery_redeliver"),
]
