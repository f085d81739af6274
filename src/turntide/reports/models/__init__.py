"""The reports app's models, one module per idea; Django finds them all through this package."""

from turntide.reports.models.guidance import (
    FeedbackContact,
    GuidanceText,
    HotlineGuidance,
    OtherAgency,
)
from turntide.reports.models.report import IntakeRequest, Report, ReportedURL, new_reference

__all__ = [
    "FeedbackContact",
    "GuidanceText",
    "HotlineGuidance",
    "IntakeRequest",
    "OtherAgency",
    "Report",
    "ReportedURL",
    "new_reference",
]
