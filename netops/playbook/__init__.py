"""netops.playbook."""
