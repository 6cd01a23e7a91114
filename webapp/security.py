"""Response headers that make the browser enforce what the app promises."""

from __future__ import annotations

import secrets

from flask import Flask, g

# No inline script and no inline style anywhere: every script and stylesheet is a file under
# /static. The one exception is the <style> element Turbo adds for its progress bar: it
# carries the per-response nonce that base.html publishes in <meta name="csp-nonce">.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'nonce-{nonce}'",
    "img-src 'self' data:",
    "media-src 'self'",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])  # fmt: skip


def csp_nonce() -> str:
    """This response's style nonce (one per request, made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def install_security_headers(app: Flask) -> None:
    """Add CSP, no-sniff, framing and referrer headers to every response."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response):
        policy = CONTENT_SECURITY_POLICY.format(nonce=csp_nonce())
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
