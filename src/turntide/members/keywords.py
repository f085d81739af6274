"""The keyword list: terms analysts curate for members' search and chat filters.

Every addition or withdrawal is its own list version, delivered as deltas like the URL list.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from turntide.audit.actions import record
from turntide.core.languages import InvalidLanguageTag, language_tag
from turntide.lists.models import KEYWORD_LIST
from turntide.lists.versions import Delta, next_version, versioned_delta
from turntide.members.models import Keyword


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
    with next_version(KEYWORD_LIST) as version:
        try:
            with transaction.atomic():
                keyword = Keyword.objects.create(
                    term=term,
                    language=language,
                    added_by=user,
                    added_at=version.at,
                    added_version=version.number,
                )
        except IntegrityError:
            raise KeywordError(f"“{term}” ({language}) is already on the list") from None
        version.changed = True
    record(
        user,
        "keyword.added",
        object_type="keyword",
        object_code=str(keyword.pk),
        details={"term": term, "language": language, "version": version.number},
    )
    return keyword


@transaction.atomic
def do_withdraw_keyword(user: User, keyword_id: int) -> Keyword:
    with next_version(KEYWORD_LIST) as version:
        keyword = Keyword.objects.filter(pk=keyword_id, removed_version__isnull=True).first()
        if keyword is None:
            raise KeywordError("that keyword is not on the list")
        keyword.removed_version, keyword.removed_at = version.number, version.at
        keyword.save(update_fields=["removed_version", "removed_at"])
        version.changed = True
    record(
        user,
        "keyword.withdrawn",
        object_type="keyword",
        object_code=str(keyword.pk),
        details={"term": keyword.term, "language": keyword.language, "version": version.number},
    )
    return keyword


def keyword_delta(since: int) -> Delta:
    fields = ("id", "term", "language")
    return versioned_delta(Keyword.objects.all(), KEYWORD_LIST, since, fields)
