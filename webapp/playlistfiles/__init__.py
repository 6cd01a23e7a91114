"""Playlists as files: export M3U8/XSPF, import M3U/M3U8/XSPF/PLS (pages and CLI)."""
