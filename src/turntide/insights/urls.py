from django.urls import path

from turntide.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    path("annual/<int:year>/", views.annual_report, name="annual_report"),
]
