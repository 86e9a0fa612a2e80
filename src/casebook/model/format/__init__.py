"""The case format: bilingual text, dates, figures, the case and collection structs,
editions, the schema and the interface's words."""
