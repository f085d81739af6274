from django.urls import path

from turntide.exchange import views

app_name = "exchange"
urlpatterns = [path("", views.rounds, name="rounds")]
