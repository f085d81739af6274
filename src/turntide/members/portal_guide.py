"""What each service allows, in words, and how a member uses it: the portal's guide.

A member's engineer sees service names (`url-list`, `rpz-feed`) on the agreement and on the
token form; this says what each one opens and gives the commands to try it. Commands name
`{server}`, the hotline's own address, and read the token from `$TURNTIDE_TOKEN`, never
from the command line, where other users of the machine could read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise
# The local copies the member client keeps, named for what they hold: the URL list's file
# is binary (turntide.core.urllist's format), the hash list's is JSON.
URL_LIST_FILE = "url-list.bin"
HASH_LIST_FILE = "hash-list.json"
CURL = 'curl -fsS -H "Authorization: Bearer $TURNTIDE_TOKEN"'


@dataclass(frozen=True)
class Service:
    """One service: its name, a title, what a token with it may do, and how to start."""

    name: str
    title: StrOrPromise
    allows: StrOrPromise
    how: StrOrPromise = ""
    commands: tuple[str, ...] = ()


GUIDE = {
    service.name: service
    for service in (
        Service(
            "url-list",
            _("URL list, hashed"),
            _(
                "Download the web addresses the hotline confirmed as child sexual abuse "
                "material and has not yet seen removed, as SHA-256 hashes of their lookup "
                "expressions: your filter or proxy blocks them without holding the "
                "addresses themselves."
            ),
            _(
                "Keep a local copy with the member client below and check addresses against "
                "it, or fetch the changes since your version from the API as JSON or CSV."
            ),
        ),
        Service(
            "url-list-plain",
            _("URL list, addresses in clear"),
            _(
                "The same list with each address in clear, for filters that need the "
                "address itself, and the whole-site entries as a DNS response policy zone "
                "(RPZ). It names the sites: keep it as confidential as your agreement says."
            ),
            _("The JSON and CSV answers carry each entry's expression; the zone is always whole."),
            (
                f'{CURL} \\\n  "{{server}}/api/v1/lists/urls.csv?since=0"',
                f'{CURL} \\\n  "{{server}}/api/v1/lists/urls.rpz"',
            ),
        ),
        Service(
            "rpz-feed",
            _("RPZ feed for resolvers"),
            _(
                "The whole-site entries as a DNS response policy zone at a secret address "
                "that your resolver fetches by itself (Unbound's or Knot Resolver's url:). "
                "The token is part of the address: revoking it closes the feed."
            ),
            _(
                "Issue a token with this service alone and put its feed address in the "
                "resolver's configuration, as below (YOUR_TOKEN is that token)."
            ),
            ('url: "{server}/api/v1/feeds/YOUR_TOKEN/urls.rpz"',),
        ),
        Service(
            "hash-list",
            _("Hash list"),
            _(
                "Download the hashes (MD5, SHA-1 and the perceptual PDQ) of images the "
                "hotline confirmed, to find copies among files on your service without "
                "anyone looking at them."
            ),
            _(
                "Keep a local copy with the member client below and check files against it; "
                "python-threatexchange and Meta's hasher-matcher-actioner can use it too."
            ),
        ),
        Service(
            "keywords",
            _("Keyword list"),
            _(
                "Download search terms associated with child sexual abuse material, in "
                "several languages, so that your search or filter can warn or block."
            ),
            _("Fetch it as CSV or JSON; ask with since= set to the version you hold."),
            (f'{CURL} \\\n  "{{server}}/api/v1/lists/keywords.csv?since=0"',),
        ),
        Service(
            "match",
            _("Hash matching"),
            _(
                "Send up to 10,000 hashes at a time and learn which match the hash list, "
                "without holding the list yourself."
            ),
            _("Each answer names the matching entry's type, distance, category and source."),
            (
                f"{CURL} -H 'Content-Type: application/json' \\\n"
                '  -d \'{"hashes": [{"type": "md5", "value": '
                '"2240baff51c700a73edc563e2caffc56"}]}\' \\\n'
                '  "{server}/api/v1/match/hashes"',
            ),
        ),
        Service(
            "report",
            _("Reporting"),
            _(
                "Report web addresses you found to the hotline through the API, as a "
                "trusted reporter: each one joins or opens a case for the analysts."
            ),
            _("Send up to 10,000 addresses a request; each is answered with its case."),
            (
                f"{CURL} -H 'Content-Type: application/json' \\\n"
                '  -d \'{"urls": [{"url": "https://site.example/page"}]}\' \\\n'
                '  "{server}/api/v1/reports"',
            ),
        ),
        Service(
            "feedback",
            _("Feedback on matches"),
            _(
                "Tell the hotline when a listed hash or address matched something that is "
                "not child sexual abuse material, or confirm that it was: analysts review "
                "every false positive and withdraw the entry when you are right."
            ),
            _("Send one item or up to 100; a GET lists what your organisation has sent."),
            (
                f"{CURL} -H 'Content-Type: application/json' \\\n"
                '  -d \'{"items": [{"kind": "hash", "value": "2240baff51c700a73edc563e2caffc56", '
                '"verdict": "false_positive"}]}\' \\\n'
                '  "{server}/api/v1/lists/feedback"',
            ),
        ),
    )
}


def service_guide(services: Iterable[str], server: str) -> list[Service]:
    """The guide to each of `services`, in the order of GUIDE, with the hotline's address
    in its commands; a service the guide does not know yet shows by its name alone (no
    title)."""
    chosen = set(services)
    known = [GUIDE[name] for name in GUIDE if name in chosen]
    unknown = [Service(name, "", "") for name in sorted(chosen - GUIDE.keys())]
    return [
        Service(
            service.name,
            service.title,
            service.allows,
            service.how,
            tuple(command.replace("{server}", server) for command in service.commands),
        )
        for service in known + unknown
    ]
