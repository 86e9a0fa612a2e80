"""Widgets that render case data; they never parse files."""
