"""The judge: one Verdict per record (validation, photos, position shift, duplicate link),
decided before anything is stored."""
