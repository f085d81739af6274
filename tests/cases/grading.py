"""A full grading as the case page's form posts it, shared by the view tests."""

GRADING = {
    "outcome": "criminal",
    "category": "A",
    "age_group": "7-10",
    "sex": "girls",
    "self_generated": "no",
    "site_type": "image_host",
    "hosting_country": "nl",
}
