"""netops.lab."""
