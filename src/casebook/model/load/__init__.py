"""Loading: strict YAML, validation, diagnostics, one file, the library, live reload and
author checks; beside them the cache and the parallel parse that speed loading up."""
