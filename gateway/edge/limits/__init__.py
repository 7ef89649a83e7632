"""Rate limits: a token bucket per API key and per tenant, kept in Redis."""
