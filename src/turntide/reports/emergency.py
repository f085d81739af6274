"""The police emergency number the public form shows when the hotline has not set its own.

It follows the hotline's country (`TURNTIDE_HOME_COUNTRY`). Each number was checked against a
public source (README, "The public form's police number"): 112 is the single European
emergency number in every EU member state (European Commission; the European Electronic
Communications Code, art. 109); 999 in the United Kingdom (Ofcom); 911 in the United States
(FCC) and Canada (CRTC); 000, "Triple Zero", in Australia (triplezero.gov.au); 111 in New
Zealand (NZ Police). Elsewhere the form shows 112, the number every GSM mobile phone
routes to the local emergency service; a hotline there sets its own number in the admin.
"""

from __future__ import annotations

__all__ = ["DEFAULT_NUMBER", "EMERGENCY_NUMBERS", "emergency_number"]

DEFAULT_NUMBER = "112"
# The 27 member states since 2020.
EU_MEMBER_STATES = (
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
)
EMERGENCY_NUMBERS = {
    **dict.fromkeys(EU_MEMBER_STATES, "112"),
    "GB": "999",
    "US": "911",
    "CA": "911",
    "AU": "000",
    "NZ": "111",
}


def emergency_number(country: str) -> str:
    """The emergency number of `country` (ISO 3166-1 alpha-2), else 112."""
    return EMERGENCY_NUMBERS.get(country.upper(), DEFAULT_NUMBER)
