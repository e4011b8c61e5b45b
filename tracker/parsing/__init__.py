"""Plain-Python parsers for UN documents. Nothing here imports Django."""
