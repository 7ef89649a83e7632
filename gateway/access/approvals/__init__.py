"""Four eyes: a request the tenant's policy holds waits for another operator's approval."""
