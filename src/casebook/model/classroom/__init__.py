"""The live class: its messages (versioned msgspec structs), its record (SQLite) and the
server that connects a trainer with students. No Textual here."""
