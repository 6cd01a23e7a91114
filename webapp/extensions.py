"""Extension objects, created unbound and initialised in ``create_app``."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()
# Storage is set from REDIS_URL in create_app, so every web process shares the counts.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
