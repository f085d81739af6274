from django.urls import path

from turntide.takedown import contact_views, views, workbench_views

app_name = "takedown"
urlpatterns = [
    path("", workbench_views.workbench, name="workbench"),
    path("cases/<str:code>/do/<slug:action>", workbench_views.act, name="act"),
    path("cases/<str:code>/start", workbench_views.start, name="start"),
    path("mails/<str:code>/retry", workbench_views.retry_mail, name="retry_mail"),
    path("mailbox/read", workbench_views.read_mailbox_now, name="read_mailbox"),
    path("contacts/", contact_views.contact_list, name="contacts"),
    path("contacts/<int:asn>/", contact_views.contact, name="contact"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("figures/", views.figures, name="figures"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("cases/<str:code>/", views.case_history, name="case"),
    path("notices/<str:code>/responses", views.record_response, name="record_response"),
]
