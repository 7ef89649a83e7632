"""The audit trail of operators' actions: what is recorded, where it is kept, the recorder."""
