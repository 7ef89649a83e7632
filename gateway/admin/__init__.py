"""`python -m gateway.admin`: API keys, operators and tenant settings, from a terminal."""
