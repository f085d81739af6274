"""Survey errors in the user's language. `turntide.core` knows no Django, so it raises them in
English with a code and the details its message names; these messages say the same, keeping
the details (column names, rows, values) as they are. An error without a code here, one no
user of the workspace can cause, keeps its English message."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from turntide.core.survey import SurveyError

__all__ = ["survey_message"]

MESSAGES: dict[str, Promise] = {
    # The workspace names the file before the message.
    "unreadable": _("the file cannot be read as CSV, SPSS .sav or Stata .dta (%(reason)s)"),
    "no_rows": _("the file has no rows"),
    "no_column": _("no column '%(column)s' in the file (its columns: %(columns)s)"),
    "no_value": _("column '%(column)s' has no value on row %(row)s"),
    "empty_value": _("column '%(column)s' is empty on row %(row)s"),
    "not_numeric": _("column '%(column)s' must be numeric: row %(row)s has '%(value)s'"),
    "unknown_value": _("value '%(value)s' does not occur in column '%(column)s'"),
    "weights_not_positive": _("weights must be positive numbers"),
    "fpc_not_positive": _("fpc must be positive numbers"),
    "fpc_varies": _("fpc differs within stratum '%(stratum)s'"),
    "fpc_too_small": _("fpc of stratum '%(stratum)s' is smaller than its sample of PSUs"),
    "lonely_psu": _(
        "stratum '%(stratum)s' has only one PSU: a standard error needs two or more in each stratum"
    ),
    "empty_group": _("no row has a value in this group"),
    "margin": _("'%(margin)s' is not VAR:VALUE=TOTAL,VALUE=TOTAL"),
    "margin_pair": _("'%(pair)s' in '%(margin)s' is not VALUE=TOTAL"),
    "margin_total": _("'%(pair)s' in '%(margin)s' is not VALUE=TOTAL with a number"),
    "margin_value_missing": _("margin value '%(value)s' is not in the data"),
    "margin_total_missing": _("value '%(value)s' in the data has no population total"),
    "raking": _("raking %(variables)s: %(cause)s"),
    "raking_diverged": _(
        "raking did not converge in %(iterations)s iterations: do the margins add up to the "
        "same population, and can the data meet them?"
    ),
    "raking_settled": _(
        "raking settled at %(reached)s for margin value '%(value)s', not %(target)s: the "
        "margins disagree with each other or with the data"
    ),
}


def survey_message(error: SurveyError) -> str:
    """The error in the active language, its cause (a param that is an error) too."""
    template = MESSAGES.get(error.code)
    if template is None:
        return str(error)
    params = {
        name: survey_message(value) if isinstance(value, SurveyError) else value
        for name, value in error.params.items()
    }
    return str(template) % params
