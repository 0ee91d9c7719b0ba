"""Reporters: every output is rendered from the JSON report dict (the contract)."""
