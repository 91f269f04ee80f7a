"""Shipped pronunciation lexicons, one TOML file per language."""
