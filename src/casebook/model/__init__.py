"""The model: case files, validation, the library. Plain Python; never imports textual."""
