"""Staff pages speak the hotline's language; only public pages follow the visitor's browser.

Staff templates are written in the hotline's language (TURNTIDE_LANGUAGE). Without this, an
analyst whose browser prefers French would see Django's own strings in French around
untranslated Turntide pages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def public_prefixes() -> tuple[str, ...]:
    return ("/report/", *(f"/{code}/report/" for code, _name in settings.LANGUAGES))


class StaffLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.public = public_prefixes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.public):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
