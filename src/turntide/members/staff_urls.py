"""Staff pages of the lists, at /lists/."""

from django.urls import path

from turntide.members import feedback_views, staff_views

app_name = "lists"
urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("keywords/", staff_views.keywords, name="keywords"),
    path("keywords/<int:keyword_id>/withdraw/", staff_views.withdraw_keyword, name="withdraw"),
    path("sites/", staff_views.dedicated_sites, name="sites"),
    path("sites/mark/<str:case_code>/", staff_views.mark_dedicated, name="mark_site"),
    path("sites/<int:site_id>/withdraw/", staff_views.withdraw_dedicated, name="withdraw_site"),
    path("feedback/", feedback_views.review_list, name="feedback"),
    path("feedback/reviewed/", feedback_views.mark_reviewed, name="feedback_reviewed"),
    path("feedback/withdraw/", feedback_views.withdraw, name="feedback_withdraw"),
]
