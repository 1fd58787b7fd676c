"""Test doubles for netops backends and helpers for plugin authors.

``contracts``: the plugin contract tests (subclass ``PluginContract`` or the per-kind classes);
``plugins``: make a plugin visible through a real entry point without pip.
"""
