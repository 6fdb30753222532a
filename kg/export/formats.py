"""Imports every export format module, so that each registers its writer."""

from kg.export import cytoscape, graph_files, html_page, static  # noqa: F401
