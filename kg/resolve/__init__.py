"""Resolution: canonical names per page, values, and merging across pages."""
