"""Relation components: one module per relation family, each a registered spaCy component."""
