"""The directory: offices and shelters, where they are and whom they serve.

Pure modules (no database): `kinds` (fixed vocabularies), `hours` (opening hours),
`record` (one office as a plain value), `csvformat` (the import/export format and its
validation), `teryt` (reading the shipped TERYT register), `geo` (distances).
`seed` and `transfer` use the database through `bot.db.repository.directory`.
`build_seed` is a developer tool that writes the shipped `bot/data/directory/offices.csv`.
"""
