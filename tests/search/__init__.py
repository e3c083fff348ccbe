"""Search: engine, analysis, indexing pipeline."""
