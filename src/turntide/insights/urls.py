from django.urls import path

from turntide.insights import campaign_views, export_views, research_views, views
from turntide.insights.surveys import views as survey_views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    path("annual/<int:year>/", views.annual_report, name="annual_report"),
    path("annual/<int:year>.pdf", views.annual_report_pdf, name="annual_report_pdf"),
    path("research/", research_views.research, name="research"),
    path("exports/", export_views.exports, name="exports"),
    path("exports/<str:code>.csv", export_views.download, name="export_download"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.record_campaign, name="campaign_new"),
    path("campaigns/<str:code>/", campaign_views.campaign_evaluation, name="campaign"),
    path("surveys/", survey_views.workspace, name="surveys"),
    path("surveys/<str:code>/", survey_views.survey_page, name="survey"),
    path("surveys/<str:code>/estimates/", survey_views.estimates, name="survey_estimates"),
    path("surveys/<str:code>/estimates.csv", survey_views.download, name="survey_download"),
    path(
        "surveys/<str:code>/waves/<str:wave>/delete/",
        survey_views.delete_wave,
        name="survey_wave_delete",
    ),
]
