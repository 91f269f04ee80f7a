"""Speech data, one TOML file per language: see ``listen.speech.language``."""
