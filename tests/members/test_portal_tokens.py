"""The portal's token flow: issuing answers with a redirect, so a reload issues nothing and the
secret shows once; revoking asks first, on a page of its own that works without JavaScript."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from turntide.audit.models import Event
from turntide.members.actions import do_issue_token, do_revoke_token
from turntide.members.models import APIToken, Organisation

TOKENS = "/members/tokens/"


def revoke_page(api_token: APIToken) -> str:
    return f"/members/tokens/{api_token.prefix}/revoke/"


def lists_urls(client: Client, token: str) -> int:
    response = client.get("/api/v1/lists/urls", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def test_issuing_redirects_so_a_reload_issues_no_other_token(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(
        "/members/tokens/issue/", {"services": ["url-list"], "label": "resolvers", "days": "30"}
    )
    assert (response.status_code, response["Location"]) == (302, TOKENS)
    [api_token] = APIToken.objects.filter(organisation=isp_a)

    shown = client.get(TOKENS)
    secret = shown.context["issued"][1]
    assert secret.startswith(f"tt_{api_token.prefix}_")
    assert f'<code id="token-secret">{secret}</code>' in shown.content.decode()

    reloaded = client.get(TOKENS)  # what a reload of the page after the redirect asks
    assert reloaded.context["issued"] is None
    assert secret not in reloaded.content.decode()
    assert APIToken.objects.count() == 1
    assert Event.objects.filter(action="token.issued").count() == 1
    assert lists_urls(client, secret) == 200


def test_the_secret_waits_in_the_session_only_until_it_is_shown(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    client.post("/members/tokens/issue/", {"services": ["url-list"], "days": "30"})
    assert "members.issued_token" in client.session
    client.get(TOKENS)
    assert "members.issued_token" not in client.session


def test_a_new_token_shows_in_a_neutral_box_with_a_copy_button(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.post(
        "/members/tokens/issue/", {"services": ["url-list"], "days": "30"}, follow=True
    ).content.decode()
    box = page.split('id="issued-token"')[1].split("</section>")[0]
    assert '<section class="issued"' in page  # not the red "notice" of errors
    assert 'class="notice"' not in page
    assert '<button type="button" class="copy" data-copy="#token-secret"' in box
    assert "/static/turntide/members.js" in page  # the copy button's script, from our origin
    assert "<script>" not in page  # nothing inline: the CSP forbids it


def test_the_tokens_page_links_to_a_confirmation_instead_of_revoking_in_one_click(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    api_token, _token = do_issue_token("system", isp_a, ["url-list"])
    client.force_login(alice)
    row = client.get(TOKENS).content.decode().split(f'id="token-{api_token.prefix}"')[1]
    row = row.split("</tr>")[0]
    assert f'<a href="{revoke_page(api_token)}"' in row
    assert "<form" not in row
    assert "<button" not in row


def test_the_confirmation_says_what_revoking_does_and_changes_nothing(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    api_token, token = do_issue_token("system", isp_a, ["url-list"], label="resolver cluster")
    assert lists_urls(client, token) == 200
    client.force_login(alice)
    events = Event.objects.count()
    response = client.get(revoke_page(api_token))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Revoke token {api_token.prefix}?" in page
    assert "resolver cluster" in page
    assert "cannot be undone" in page
    assert f'<form method="post" action="{revoke_page(api_token)}"' in page
    assert f'<a href="{TOKENS}">Cancel, keep it</a>' in page
    api_token.refresh_from_db()
    assert api_token.revoked_at is None
    assert Event.objects.count() == events
    assert lists_urls(client, token) == 200

    confirmed = client.post(revoke_page(api_token), follow=True)
    assert confirmed.redirect_chain == [(TOKENS, 302)]
    assert f"Token {api_token.prefix} is revoked" in confirmed.content.decode()
    assert lists_urls(client, token) == 401


def test_the_confirmation_of_a_revoked_token_offers_nothing_to_press(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    api_token, _token = do_issue_token("system", isp_a, ["url-list"])
    do_revoke_token("system", api_token)
    client.force_login(alice)
    page = client.get(revoke_page(api_token)).content.decode()
    assert "already revoked" in page
    assert f"<h1>Token {api_token.prefix}</h1>" in page
    assert f'action="{revoke_page(api_token)}"' not in page
