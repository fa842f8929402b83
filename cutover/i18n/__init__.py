"""Text for people: the languages, and dates as people read them."""
