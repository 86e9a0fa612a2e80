"""Read-only views over a library: search, filters (facets), comparison and slides."""
