"""Rules several blueprints share, kept out of any blueprint so none imports another.

``accounts`` (registration, role changes, links, the username rule), ``passwords``
(Argon2id), ``roles`` (route guards) and ``playlists`` (who may see a playlist).
"""
