"""An OpenSubsonic server under ``/rest/`` (``routes.py`` dispatches to one module per area)."""
