from django.urls import path

from turntide.reports import views

app_name = "reports"
urlpatterns = [path("", views.public_report, name="public_form")]
