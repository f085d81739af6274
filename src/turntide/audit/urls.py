from django.urls import path

from turntide.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.trail, name="trail"),
    path("export.csv", views.export, name="export"),
    path("verify/", views.verify, name="verify"),
]
