from django.urls import path

from turntide.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:code>/", views.case_detail, name="case"),
]
