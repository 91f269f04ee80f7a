"""Shipped voice profiles (*.toml); a user folder overrides them by name."""
