"""listen: turn a web article into an audio edition."""

__version__ = "0.1.0"
