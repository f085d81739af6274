"""Appeal pages, included at /cases/appeals/ (before the cases URLs, whose /cases/<code>/
would otherwise take /cases/appeals/)."""

from django.urls import path

from turntide.cases.appeals import views

app_name = "appeals"
urlpatterns = [
    path("", views.open_appeals, name="open"),
    path("new/<str:case_code>/", views.record_appeal, name="record"),
    path("<str:code>/", views.appeal_detail, name="appeal"),
]
