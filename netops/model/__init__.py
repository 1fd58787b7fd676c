"""netops.model."""
