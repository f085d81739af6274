"""A python-threatexchange (>= 1.2) extension: Turntide's hash list in threatexchange and HMA.

    threatexchange config extensions add turntide.threatexchange
    threatexchange config collab edit turntide --create --server https://hotline.example NAME
    threatexchange fetch
    threatexchange match photo picture.jpg

The member's token comes from `TX_TURNTIDE_TOKEN` or `~/.tx_turntide_token`, as NCMEC's
credentials do. A fetch asks `/api/v1/lists/hashes?since=V` from its checkpoint V; a withdrawn
hash arrives as the deletion of its record, so it stops matching after the next ordinary
fetch. Each signal carries its category, source and PDQ threshold as tags. HMA 2.x takes the
same class (`TurntideSignalExchangeAPI`) in its exchange settings.

An opinion on a signal (`report_opinion`, which `threatexchange label COLLAB photo -H pdq`
calls) is posted to `/api/v1/lists/feedback` (the token needs the `feedback` scope too): a
negative opinion, or the label `false_positive`, says the match was not abuse; any other
confirms it. threatexchange 1.2.17's `label` command always sends a positive opinion, so the
label is how its users report a false positive. Its `report_seen` is only a comment in
threatexchange's base class, which nothing calls, so there is nothing to implement for it.

This module needs threatexchange (`pip install 'turntide[threatexchange]'`): its classes are
subclasses of threatexchange's. No `from __future__ import annotations` here: threatexchange
builds its command-line options from the collaboration config's real field types.
"""

import json
import typing as t
import urllib.request
from dataclasses import dataclass, field

from threatexchange.exchanges import auth
from threatexchange.exchanges import fetch_state as state
from threatexchange.exchanges.collab_config import CollaborationConfigWithDefaults
from threatexchange.exchanges.signal_exchange_api import SignalExchangeAPIWithSimpleUpdates
from threatexchange.extensions.manifest import ThreatExchangeExtensionManifest
from threatexchange.signal_type.signal_base import SignalType

from turntide.commands.listsync import fetch_delta
from turntide.core.deltas import delta_version

__all__ = [
    "TX_MANIFEST",
    "TurntideCheckpoint",
    "TurntideCollabConfig",
    "TurntideCredentials",
    "TurntideSignalExchangeAPI",
    "TurntideSignalMetadata",
]

_API_NAME = "turntide"
# The label that turns an opinion into a false-positive report (see the module's docstring).
FALSE_POSITIVE_LABEL = "false_positive"

# Turntide's hash types by threatexchange's signal type names; MD5 and SHA-1 of whole files
# have no threatexchange signal type for photos (check them with `turntide hashes check`).
SIGNAL_TYPES = {"pdq": "pdq", "photodna": "photodna"}


@dataclass
class TurntideCheckpoint(state.FetchCheckpointBase):
    """The list version the fetched copy is at: the next fetch asks for the changes since."""

    version: int


@dataclass
class _RequiredFields:
    server: str = field(metadata={"help": "the hotline's address: https://hotline.example"})


@dataclass
class TurntideCollabConfig(CollaborationConfigWithDefaults, _RequiredFields):
    api: str = field(init=False, default=_API_NAME)


@dataclass
class TurntideSignalMetadata(state.FetchedSignalMetadata):
    """One listed hash: positive (the hotline judged it criminal), tagged with its details."""

    category: str
    source: str
    threshold: int | None = None

    def get_as_opinions(self) -> t.Sequence[state.SignalOpinion]:
        tags = {f"category:{self.category or '-'}", f"source:{self.source}"}
        if self.threshold is not None:
            tags.add(f"threshold:{self.threshold}")
        return [state.SignalOpinion(False, state.SignalOpinionCategory.POSITIVE_CLASS, tags)]


@dataclass
class TurntideCredentials(auth.CredentialHelper):
    ENV_VARIABLE: t.ClassVar[str] = "TX_TURNTIDE_TOKEN"
    FILE_NAME: t.ClassVar[str] = "~/.tx_turntide_token"

    token: str = field(
        metadata={"help": "a Turntide API token scoped to hash-list (and feedback, to label)"}
    )

    @classmethod
    def _from_str(cls, s: str) -> "TurntideCredentials":
        return cls(s.strip())

    def _are_valid(self) -> bool:
        return bool(self.token)


Key = tuple[str, str]


class TurntideSignalExchangeAPI(
    auth.SignalExchangeWithAuth[TurntideCollabConfig, TurntideCredentials],
    SignalExchangeAPIWithSimpleUpdates[
        TurntideCollabConfig, TurntideCheckpoint, TurntideSignalMetadata
    ],
):
    """The hash list of one Turntide server, fetched as deltas."""

    def __init__(self, collab: TurntideCollabConfig, token: str) -> None:
        if not collab.server.startswith(("https://", "http://")):
            raise ValueError("the collaboration's server must be an http(s) address")
        self.collab = collab
        self._token = token

    @classmethod
    def for_collab(
        cls,
        collab: TurntideCollabConfig,
        credentials: TurntideCredentials | None = None,
    ) -> "TurntideSignalExchangeAPI":
        credentials = credentials or TurntideCredentials.get(cls)
        return cls(collab, credentials.token)

    @classmethod
    def get_name(cls) -> str:
        return _API_NAME

    @staticmethod
    def get_config_cls() -> type[TurntideCollabConfig]:
        return TurntideCollabConfig

    @staticmethod
    def get_checkpoint_cls() -> type[TurntideCheckpoint]:
        return TurntideCheckpoint

    @staticmethod
    def get_record_cls() -> type[TurntideSignalMetadata]:
        return TurntideSignalMetadata

    @staticmethod
    def get_credential_cls() -> type[TurntideCredentials]:
        return TurntideCredentials

    def fetch_iter(
        self,
        supported_signal_types: t.Sequence[type[SignalType]],
        checkpoint: TurntideCheckpoint | None,
    ) -> t.Iterator[state.FetchDelta[Key, TurntideSignalMetadata, TurntideCheckpoint]]:
        since = checkpoint.version if checkpoint is not None else 0
        url = f"{self.collab.server.rstrip('/')}/api/v1/lists/hashes"
        delta = fetch_delta(url, self._token, since)
        version = delta_version(delta, since=since, current=since)
        updates: dict[Key, TurntideSignalMetadata | None] = {}
        for entry in delta.get("removed", []):
            if entry["type"] in SIGNAL_TYPES:
                updates[SIGNAL_TYPES[entry["type"]], entry["value"]] = None
        for entry in delta.get("added", []):
            if entry["type"] in SIGNAL_TYPES:
                updates[SIGNAL_TYPES[entry["type"]], entry["value"]] = TurntideSignalMetadata(
                    entry["category"], entry["source"], entry.get("threshold")
                )
        yield state.FetchDelta(updates, TurntideCheckpoint(version))

    def report_opinion(
        self, s_type: type[SignalType], signal: str, opinion: state.SignalOpinion
    ) -> None:
        """Tell the hotline whether a listed hash matched abuse; `ValueError` when the server
        knows no such entry on this member's lists."""
        labels = set(opinion.tags)
        negative = opinion.category == state.SignalOpinionCategory.NEGATIVE_CLASS
        false_positive = negative or FALSE_POSITIVE_LABEL in labels
        item = {
            "kind": "hash",
            "value": signal,
            "verdict": "false_positive" if false_positive else "confirmed",
            "note": ", ".join(sorted(labels - {FALSE_POSITIVE_LABEL}))[:1000] or None,
        }
        request = urllib.request.Request(  # noqa: S310  (__init__ checked the scheme)
            f"{self.collab.server.rstrip('/')}/api/v1/lists/feedback",
            data=json.dumps({"items": [item]}).encode(),
            headers={"Authorization": f"Bearer {self._token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            (result,) = json.load(response)["results"]
        if "error" in result:
            raise ValueError(f"{s_type.get_name()} {signal}: {result['error']}")


TX_MANIFEST = ThreatExchangeExtensionManifest(apis=(TurntideSignalExchangeAPI,))
