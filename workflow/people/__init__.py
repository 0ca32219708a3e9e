"""The register of persons and collectives (hồ sơ thành tích) and the eligibility rules.

`identity` validates a record's fields, `matching` finds likely duplicates, `register` holds the
use cases (create, read, history, discipline, ratings, linking a nominee), `search` finds people
by name or identity number, `rules` are the legal conditions as data and `eligibility` applies
them to a nomination.
"""
