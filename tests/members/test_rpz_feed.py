"""The RPZ feed address: a resolver fetches the zone by itself, with the secret in the address.

Debian's Unbound, on a loopback port with no forwarding and no internet (other names come
from a local zone it reads as if it were their authoritative server), downloads the zone
from the feed (its `rpz:` `url:`), answers NXDOMAIN for listed sites and their subdomains, and
takes a withdrawal on its next refresh. Skipped where Unbound is not installed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dns.exception
import dns.message
import dns.query
import dns.rcode
import pytest
from django.test import Client

from tests.members.test_url_list import actioned
from turntide.members.actions import do_create_organisation, do_issue_token, do_revoke_token
from turntide.members.dedicated import do_mark_dedicated, do_withdraw_dedicated
from turntide.members.lists import do_publish_url_list
from turntide.members.models import APIToken

UNBOUND = shutil.which("unbound") or "/usr/sbin/unbound"
UNBOUND_CONTROL = shutil.which("unbound-control") or "/usr/sbin/unbound-control"
ZONE = "rpz.turntide."
NAMES = """$ORIGIN example.
$TTL 60
@ SOA ns.example. root.example. 1 3600 600 604800 60
@ NS ns.example.
ns A 192.0.2.1
clean A 192.0.2.10
feed A 192.0.2.11
www.feed A 192.0.2.11
deep.sub.feed A 192.0.2.11
"""


def feed_token(*services: str, name: str = "Resolver ISP") -> str:
    organisation = do_create_organisation("system", name, services)
    return do_issue_token("system", organisation, services)[1]


def feed(client: Client, token: str):
    return client.get(f"/api/v1/feeds/{token}/urls.rpz")


def test_the_feed_serves_the_zone_to_its_token_only(client: Client, analyst, senior_analyst):
    case = actioned(analyst, "http://www.feed.example/a")
    do_mark_dedicated(senior_analyst, case, "feed.example", "dedicated")
    version = do_publish_url_list()
    token = feed_token("rpz-feed")
    response = feed(client, token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/dns")
    zone = response.content.decode().splitlines()
    assert f"@ SOA localhost. root.localhost. {version} 3600 600 604800 300" in zone
    assert "*.feed.example CNAME ." in zone
    # Only a usable token scoped to the feed opens it; others see no feed at all.
    assert feed(client, feed_token("url-list-plain", name="Plain ISP")).status_code == 404
    assert feed(client, "tt_unknown_secret").status_code == 404
    do_revoke_token("system", APIToken.objects.get(organisation__name="Resolver ISP"))
    assert feed(client, token).status_code == 404


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unbound(tmp_path: Path) -> Iterator[tuple[Callable[[str], int], Callable[..., str]]]:
    """(start, control): start Unbound on a loopback port with the feed at a URL; run
    unbound-control on it."""
    if not Path(UNBOUND).exists():
        pytest.skip("Debian's unbound is not installed (apt-get install unbound)")
    processes: list[subprocess.Popen[bytes]] = []
    port = free_port()
    control = tmp_path / "unbound.ctl"
    config = tmp_path / "unbound.conf"

    def start(url: str) -> int:
        names = tmp_path / "example.zone"  # the rest of the world, answered locally
        names.write_text(NAMES)
        config.write_text(
            f"""server:
  interface: 127.0.0.1
  port: {port}
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "{tmp_path}"
  pidfile: "{tmp_path}/unbound.pid"
  use-syslog: no
  logfile: "{tmp_path}/unbound.log"
  verbosity: 1
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  module-config: "respip iterator"
auth-zone:
  name: "example."
  zonefile: "{names}"
  for-downstream: no
  for-upstream: yes
  fallback-enabled: no
rpz:
  name: "{ZONE}"
  url: "{url}"
  zonefile: "{tmp_path}/rpz.zone"
remote-control:
  control-enable: yes
  control-interface: "{control}"
"""
        )
        processes.append(subprocess.Popen([UNBOUND, "-d", "-c", str(config)]))
        return port

    def run_control(*args: str) -> str:
        done = subprocess.run(
            [UNBOUND_CONTROL, "-c", str(config), *args], capture_output=True, text=True
        )
        return done.stdout + done.stderr

    yield start, run_control
    for process in processes:
        process.terminate()
        process.wait()


def rcode(port: int, name: str) -> str:
    query = dns.message.make_query(name, "A")
    return dns.rcode.to_text(dns.query.udp(query, "127.0.0.1", port=port, timeout=1).rcode())


def eventually(check: Callable[[], bool], what: str) -> None:
    """Wait for Unbound (which downloads in the background) to reach a state, for long."""
    for _attempt in range(200):
        try:
            if check():
                return
        except (dns.exception.Timeout, OSError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"Unbound never {what}")


@pytest.mark.django_db(transaction=True)
def test_unbound_fetches_the_zone_itself_and_takes_withdrawals_on_refresh(
    unbound, live_server, analyst, senior_analyst
) -> None:
    start, control = unbound
    case = actioned(analyst, "http://www.feed.example/a")
    site = do_mark_dedicated(senior_analyst, case, "feed.example", "dedicated")
    do_publish_url_list()
    # An address, not `localhost`: Unbound resolves a host name through DNS, not /etc/hosts.
    server = live_server.url.replace("localhost", "127.0.0.1")
    port = start(f"{server}/api/v1/feeds/{feed_token('rpz-feed')}/urls.rpz")

    eventually(lambda: rcode(port, "feed.example.") == "NXDOMAIN", "listed feed.example")
    assert rcode(port, "www.feed.example.") == "NXDOMAIN"
    assert rcode(port, "deep.sub.feed.example.") == "NXDOMAIN"
    assert rcode(port, "clean.example.") == "NOERROR"

    do_withdraw_dedicated(senior_analyst, site.pk)
    do_publish_url_list()
    control("auth_zone_transfer", ZONE)  # what its refresh timer does (SOA refresh: an hour)
    eventually(lambda: rcode(port, "www.feed.example.") == "NOERROR", "took the withdrawal")
