"""Route guards."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def admin_required(view):
    """Only administrators; others get 403, visitors the sign-in page."""

    @login_required
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403, description="Only administrators can do that.")
        return view(*args, **kwargs)

    return wrapper
