"""Imports every export format module, so that each registers its writer."""
