from django.urls import path

from turntide.takedown import views

app_name = "takedown"
urlpatterns = [
    path("overdue/", views.overdue_list, name="overdue"),
    path("figures/", views.figures, name="figures"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("cases/<str:code>/", views.case_history, name="case"),
    path("notices/<str:code>/responses", views.record_response, name="record_response"),
]
