"""netops.agent."""
