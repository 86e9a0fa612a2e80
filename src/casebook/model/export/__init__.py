"""Handouts: a case or the casebook as Markdown or HTML."""
