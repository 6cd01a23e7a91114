"""Signals between areas of the web app (blueprints never import each other)."""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()
# Sent with ``blend_ids`` of blends that lost a member (an account was deleted): the
# blends area makes a new run of each without them.
blends_changed = signals.signal("blends-changed")
