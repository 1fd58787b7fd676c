"""netops.store."""
