"""Command-line shell over the netops library. Each command group is its own small module."""
