from __future__ import annotations

from django.db import models

# The lists distributed to members, by the name their version row goes by.
URL_LIST = "urls"
KEYWORD_LIST = "keywords"
HASH_LIST = "hashes"


class ListVersion(models.Model):
    """The current version of one distributed list; every change bumps it by one."""

    name = models.CharField(max_length=20, unique=True)
    version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
