"""The user's own state: notes, bookmarks and progress; the presenter's shared state."""
