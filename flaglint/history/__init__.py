"""Flag meanings across time: a git revision (``--against``) or the ledger."""
