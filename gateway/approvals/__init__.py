"""Four eyes: the tenant's approval policy, the queue, approving, rejecting and running."""
