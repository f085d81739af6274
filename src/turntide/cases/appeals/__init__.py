"""Appeals: a host, a member or someone else contests the judgement that stands for a case.

A staff member records the appeal; a senior analyst who did not make the contested judgement
upholds it (with a new judgement, which then stands) or rejects it. The model is
cases.models.Appeal (the `cases` app keeps its table); writes, forms, pages and routes are here.
"""
