"""Database tools: ``flask db status``, ``backup``, ``restore`` and ``validate``."""
