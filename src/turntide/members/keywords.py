"""The keyword list: terms analysts curate for members' search and chat filters.

Every addition or withdrawal is its own list version, delivered as deltas like the URL list.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from turntide.audit.actions import record
from turntide.core.languages import InvalidLanguageTag, language_tag
from turntide.members.lists import Delta, lock_version, versioned_delta
from turntide.members.models import Keyword, ListVersion

KEYWORD_LIST = "keywords"


class KeywordError(ValueError):
    pass


def normalise_term(term: str) -> str:
    """One spelling per term: NFC, single spaces, lower case (casefold)."""
    return " ".join(unicodedata.normalize("NFC", term).casefold().split())


@transaction.atomic
def do_add_keyword(user: User, term: str, language: str) -> Keyword:
    """List a term for members' filters, in its language's BCP 47 tag (`en`, `pt-BR`)."""
    term = normalise_term(term)
    if not term:
        raise KeywordError("the term is empty")
    if not language.strip():
        raise KeywordError("give the term's language, e.g. en")
    try:
        language = language_tag(language)
    except InvalidLanguageTag as error:
        raise KeywordError(str(error)) from None
    current = lock_version(KEYWORD_LIST)
    version, now = current.version + 1, timezone.now()
    try:
        with transaction.atomic():
            keyword = Keyword.objects.create(
                term=term, language=language, added_by=user, added_at=now, added_version=version
            )
    except IntegrityError:
        raise KeywordError(f"“{term}” ({language}) is already on the list") from None
    ListVersion.objects.filter(pk=current.pk).update(version=version, published_at=now)
    record(
        user,
        "keyword.added",
        object_type="keyword",
        object_code=str(keyword.pk),
        details={"term": term, "language": language, "version": version},
    )
    return keyword


@transaction.atomic
def do_withdraw_keyword(user: User, keyword_id: int) -> Keyword:
    current = lock_version(KEYWORD_LIST)
    keyword = Keyword.objects.filter(pk=keyword_id, removed_version__isnull=True).first()
    if keyword is None:
        raise KeywordError("that keyword is not on the list")
    version, now = current.version + 1, timezone.now()
    keyword.removed_version, keyword.removed_at = version, now
    keyword.save(update_fields=["removed_version", "removed_at"])
    ListVersion.objects.filter(pk=current.pk).update(version=version, published_at=now)
    record(
        user,
        "keyword.withdrawn",
        object_type="keyword",
        object_code=str(keyword.pk),
        details={"term": keyword.term, "language": keyword.language, "version": version},
    )
    return keyword


def keyword_delta(since: int) -> Delta:
    fields = ("id", "term", "language")
    return versioned_delta(Keyword.objects.all(), KEYWORD_LIST, since, fields)
