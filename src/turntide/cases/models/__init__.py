"""The cases app's models, one module per idea; Django finds them all through this package."""

from turntide.cases.models.appeal import Appeal, new_appeal_code
from turntide.cases.models.case import (
    Assessment,
    CaseReport,
    SavedView,
    URLCase,
    new_assessment_code,
    new_case_code,
)
from turntide.cases.models.scheme import ClassificationScheme, SchemeTerm, TermMapping

__all__ = [
    "Appeal",
    "Assessment",
    "CaseReport",
    "ClassificationScheme",
    "SavedView",
    "SchemeTerm",
    "TermMapping",
    "URLCase",
    "new_appeal_code",
    "new_assessment_code",
    "new_case_code",
]
