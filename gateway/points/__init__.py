"""Points over HTTP: orders (earning), returns, redemptions, balances and the ledger."""
