"""Anonymisation: pseudonyms, k-anonymity by coarsening and local suppression, free-text de-identification."""
