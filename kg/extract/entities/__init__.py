"""Entity components: one module per entity family, each a registered spaCy component."""
