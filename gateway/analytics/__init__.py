"""The analytics reports over HTTP: `/v1/admin/analytics/...`, JSON or CSV."""
