from django.urls import path

from turntide.members import portal

app_name = "members"
urlpatterns = [
    path("", portal.overview, name="overview"),
    path("tokens/", portal.tokens, name="tokens"),
    path("tokens/issue/", portal.issue_token, name="issue_token"),
    path("tokens/<str:prefix>/revoke/", portal.revoke_token, name="revoke_token"),
]
