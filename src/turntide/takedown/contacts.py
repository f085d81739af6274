"""Reads of the abuse contacts (the provider directory) with what they did: notices sent to
them and their time to removal, as the removal team reviews them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from turntide.takedown.figures import Figure, removal_figures
from turntide.takedown.models import Notice, Provider


@dataclass(frozen=True)
class Contact:
    provider: Provider
    notices_sent: int
    removal: Figure | None


def directory(search: str = "") -> QuerySet[Provider]:
    providers = Provider.objects.all()
    if search:
        number = search.upper().removeprefix("AS")
        by_number = Q(asn=int(number)) if number.isdigit() else Q(pk__in=[])
        providers = providers.filter(
            by_number
            | Q(name__icontains=search)
            | Q(abuse_email__icontains=search)
            | Q(suggested_email__icontains=search)
        )
    # Contacts awaiting confirmation first: they hold notices back.
    return providers.order_by("-suggested_email", "asn")


def contacts(search: str = "", limit: int = 200) -> list[Contact]:
    providers = list(directory(search)[:limit])
    sent = dict(
        Notice.objects.filter(
            status=Notice.Status.SENT, takedown__trace__asn__in=[p.asn for p in providers]
        )
        .values_list("takedown__trace__asn")
        .annotate(n=Count("pk"))
        .values_list("takedown__trace__asn", "n")
    )
    by_asn = {f.key: f for f in removal_figures() if f.dimension == "asn"}
    return [Contact(p, sent.get(p.asn, 0), by_asn.get(f"AS{p.asn}")) for p in providers]


def notices_to(provider: Provider, limit: int = 100) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(takedown__trace__asn=provider.asn)
        .exclude(status=Notice.Status.NO_CONTACT)
        .select_related("takedown__case")
        .order_by("-created_at", "-pk")[:limit]
    )
