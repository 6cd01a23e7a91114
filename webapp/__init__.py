"""The Flask application factory."""

from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, request
from flask_login import login_url
from werkzeug.middleware.proxy_fix import ProxyFix

from models import User, connect_db
from webapp.config import Config
from webapp.errors import install_error_handlers
from webapp.extensions import csrf, limiter, login_manager, socketio
from webapp.outages import install_outage_handlers, wants_json
from webapp.preflight import startup_problems
from webapp.security import install_security_headers


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build the app from a config class plus keyword overrides."""
    app = Flask(__name__)
    app.config.from_object(config or Config)
    app.config.update(overrides)

    connect_db(app.config["MONGODB_URI"])
    if app.config["PREFLIGHT"]:
        problems = startup_problems(app.config["MONGODB_URI"], app.config["REDIS_URL"])
        if problems:
            raise SystemExit("\n".join(problems))

    if app.config.get("PROXY_HOPS"):  # behind N proxies: per-address limits see the client
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    limiter.init_app(app)
    install_security_headers(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    # init_app keeps an earlier app's queue manager unless told otherwise.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE", app.config["REDIS_URL"]),
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS"),
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],
    )

    import rooms
    from webapp.admin.routes import bp as admin_bp
    from webapp.api.routes import bp as api_bp
    from webapp.apikeys.routes import bp as apikeys_bp
    from webapp.auth.routes import bp as auth_bp
    from webapp.blends.routes import bp as blends_bp
    from webapp.corrections.routes import bp as corrections_bp
    from webapp.health.routes import bp as health_bp
    from webapp.history.routes import bp as history_bp
    from webapp.library.events import LibraryNamespace
    from webapp.library.routes import bp as library_bp
    from webapp.live import DefaultNamespace, LiveNamespace
    from webapp.main.routes import bp as main_bp
    from webapp.player.routes import bp as player_bp
    from webapp.playlistfiles.cli import bp as playlistfiles_bp
    from webapp.playlists.routes import bp as playlists_bp
    from webapp.rooms.events import RoomNamespace
    from webapp.rooms.routes import bp as rooms_bp
    from webapp.search.routes import bp as search_bp
    from webapp.settings.routes import bp as settings_bp
    from webapp.subsonic.routes import bp as subsonic_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(library_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(playlists_bp)
    app.register_blueprint(rooms_bp)
    app.register_blueprint(player_bp)
    app.register_blueprint(history_bp)
    app.register_blueprint(blends_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(corrections_bp)
    app.register_blueprint(subsonic_bp)
    app.register_blueprint(apikeys_bp)
    app.register_blueprint(playlistfiles_bp)
    socketio.on_namespace(LibraryNamespace("/library"))
    socketio.on_namespace(LiveNamespace("/live"))
    socketio.on_namespace(DefaultNamespace("/"))
    room_namespace = RoomNamespace("/rooms")
    socketio.on_namespace(room_namespace)
    rooms.set_publisher(room_namespace.publish)

    from webapp.admin.cli import register_commands as register_user_commands
    from webapp.cli import register_commands
    from webapp.dbtools.cli import register_commands as register_db_commands
    from webapp.library.cli import register_commands as register_library_commands
    from webapp.search.cli import register_commands as register_search_commands

    register_commands(app)
    register_user_commands(app)
    register_library_commands(app)
    register_search_commands(app)
    register_db_commands(app)
    install_error_handlers(app)
    install_outage_handlers(app, socketio)
    return app


@login_manager.user_loader
def _load_user(session_id: str):
    # Disabled people and sessions from before a password change or "sign out
    # everywhere" (an older ``session_epoch``) are signed out.
    return User.for_session(session_id)


@login_manager.unauthorized_handler
def _sign_in_first():
    """A page is sent to the sign-in form; an API or JSON call gets 401 (a redirect to an
    HTML form is no answer for ``fetch``)."""
    if wants_json():
        return jsonify(error="Sign in first."), 401
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))
