"""Classification schemes: the grading vocabularies a hotline speaks, kept as data.

An assessment records one grading, in the terms of the default scheme (the UK scheme:
Category A/B/C, the age band of the youngest child, the self-generated flag). Every scheme,
the default included, is a set of terms with on-screen definitions, plus ordered mapping
rules from the recorded grading to those terms. The INHOPE/INTERPOL vocabulary that
referrals to partner hotlines use is seeded beside the UK scheme (migration 0004), and an
administrator adds a national scheme in the admin, without code. docs/grading.md shows the
seeded mapping and where the UK grading does not decide a partner's term.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from turntide.cases.models import Assessment, ClassificationScheme, SchemeTerm, TermMapping
from turntide.cases.models.scheme import (
    AGE,
    CONDITION_FIELDS,
    DEFAULT_DIMENSION_FIELDS,
    LEGAL_STATUS,
    SELF_GENERATED,
    SEVERITY,
    parse_conditions,
    stored_choices,
)

__all__ = [
    "AGE",
    "CONDITION_FIELDS",
    "LEGAL_STATUS",
    "NOT_MAPPABLE",
    "SELF_GENERATED",
    "SEVERITY",
    "ClassificationScheme",
    "SchemeTerm",
    "Term",
    "TermMapping",
    "describe",
    "parse_conditions",
    "self_generated_label",
    "terms",
    "translate",
]

# What translate() gives for a dimension whose rule says the grading does not decide the term.
NOT_MAPPABLE = "not_mappable"


@dataclass(frozen=True)
class Term:
    """One term of a scheme, as forms and referrals show it."""

    code: str
    label: str
    definition: str = ""


def _grading_value(assessment: Assessment, name: str) -> str:
    value = getattr(assessment, name)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _scheme(scheme_code: str | None) -> ClassificationScheme | None:
    if scheme_code is None:
        return ClassificationScheme.objects.filter(is_default=True).first()
    return ClassificationScheme.objects.get(code=scheme_code)


def terms(scheme_code: str | None, dimension: str) -> list[Term]:
    """The terms of one dimension of a scheme, in order, with their on-screen definitions.

    `scheme_code` None means the default scheme, whose severity, age and self_generated terms
    label the assessment form; if none is saved there, the model's own labels stand in.
    An unknown code raises `ClassificationScheme.DoesNotExist`.
    """
    scheme = _scheme(scheme_code)
    found = [
        Term(term.code, term.label, term.definition)
        for term in SchemeTerm.objects.filter(scheme=scheme, dimension=dimension)
    ]
    if found or scheme_code is not None:
        return found
    return _built_in_terms(dimension)


def _built_in_terms(dimension: str) -> list[Term]:
    if dimension == SELF_GENERATED:
        return [Term("yes", gettext("Self-generated"))]
    field = DEFAULT_DIMENSION_FIELDS.get(dimension)
    if field is None:
        return []
    return [Term(value, label) for value, label in stored_choices(field)]


def describe(assessment: Assessment, scheme_code: str) -> dict[str, Term | None]:
    """The scheme's term for each dimension its rules decide for this assessment.

    A dimension maps to None where the first matching rule has no term (the grading does not
    decide it; an analyst chooses) and is absent where no rule matches (not applicable).
    """
    scheme = ClassificationScheme.objects.get(code=scheme_code)
    found: dict[str, Term | None] = {}
    for rule in TermMapping.objects.filter(scheme=scheme).select_related("term"):
        term = rule.term
        dimension = rule.dimension or (term.dimension if term else "")
        if dimension in found or not _matches(assessment, parse_conditions(rule.when)):
            continue
        found[dimension] = Term(term.code, term.label, term.definition) if term else None
    return found


def translate(assessment: Assessment, scheme_code: str) -> dict[str, str]:
    """The scheme's term codes for this assessment, by dimension, as a referral carries them.

    `NOT_MAPPABLE` marks a dimension the grading does not decide; see `describe`.
    """
    return {
        dimension: term.code if term else NOT_MAPPABLE
        for dimension, term in describe(assessment, scheme_code).items()
    }


def _matches(assessment: Assessment, conditions: dict[str, frozenset[str]]) -> bool:
    return all(_grading_value(assessment, name) in values for name, values in conditions.items())


def self_generated_label() -> str:
    """What this hotline calls self-generated imagery (the default scheme's term, renamable)."""
    found = [term for term in terms(None, SELF_GENERATED) if term.code == "yes"]
    return found[0].label if found else gettext("Self-generated")
