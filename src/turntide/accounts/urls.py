from django.contrib.auth.views import LogoutView
from django.urls import path

from turntide.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("enrol/<str:token>/", views.enrol, name="enrol"),
    path("", views.home, name="home"),
]
