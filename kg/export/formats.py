"""Imports every export format module, so that each registers its writer."""

from kg.export import cytoscape, graph_files, html_page, neo4j_admin, static  # noqa: F401
