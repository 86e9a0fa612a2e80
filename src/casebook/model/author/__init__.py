"""Authoring: the commented template and the scaffold from another case."""
