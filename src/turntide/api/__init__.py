"""The JSON API under /api/v1/: bearer tokens scoped to services, OpenAPI schema."""
