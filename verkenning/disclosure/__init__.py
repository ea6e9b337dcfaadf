"""Disclosure control of published figures: small counts and their complements suppressed, and an audit."""
