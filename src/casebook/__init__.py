"""casebook: business case studies as a navigable, presentable casebook in the terminal."""

__version__ = "0.1.0"
"""The version: the package's only copy (pyproject.toml reads it from here)."""
