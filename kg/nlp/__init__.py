"""Language processing: gazetteers, word boundaries, page context and the spaCy pipeline."""
