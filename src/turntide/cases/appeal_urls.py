"""Appeal pages, included at /cases/appeals/ (before the cases URLs, whose /cases/<code>/
would otherwise take /cases/appeals/)."""

from django.urls import path

from turntide.cases import appeal_views

app_name = "appeals"
urlpatterns = [
    path("", appeal_views.open_appeals, name="open"),
    path("new/<str:case_code>/", appeal_views.record_appeal, name="record"),
    path("<str:code>/", appeal_views.appeal_detail, name="appeal"),
]
