"""From finding to draft amendment: templates (rules/amend/*.yml), drafts, 改め文."""
