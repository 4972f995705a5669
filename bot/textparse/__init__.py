"""Reading dates and numbers out of what people type (no diacritics, typos, words)."""
