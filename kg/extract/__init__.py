"""Extraction: entity and relation components, and the per-document driver."""
