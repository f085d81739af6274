from django.urls import path

from turntide.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("next/", views.next_case, name="next"),
    path("welfare/", views.team_welfare, name="welfare"),
    path("views/", views.saved_views, name="saved_views"),
    path("<str:code>/claim/", views.claim, name="claim"),
    path("<str:code>/release/", views.release, name="release"),
    path("<str:code>/", views.case_detail, name="case"),
]
