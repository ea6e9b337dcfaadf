"""Staging: raw tables turned into typed, cleaned tables (still restricted)."""
