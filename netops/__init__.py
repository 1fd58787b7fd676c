"""netops."""
