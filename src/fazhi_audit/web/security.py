"""Sessions, cross-site request forgery tokens and the headers every response carries.

A browser gets a random session cookie (HttpOnly, SameSite=Strict) on its
first page; its results are bound to it. The upload form carries a token
that is an HMAC of that cookie under a secret made at server start: a page
on another site can neither read the token nor, SameSite=Strict, send the
cookie, and a form without the matching token is refused with 403.

Every response forbids external resources by its Content-Security-Policy:
our pages load only this server's own stylesheet and script. The HTML
report (the renderer of `--format html`) keeps its inline style and script;
its response allows exactly that script by hash and may be framed only by
our own result page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from urllib.parse import quote

SESSION_COOKIE = "fazhi_session"

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

COMMON_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


def new_session() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(secret: bytes, session: str) -> str:
    digest = hmac.new(secret, b"csrf:" + session.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def csrf_ok(secret: bytes, session: str | None, token: str | None) -> bool:
    if not session or not token:
        return False
    return hmac.compare_digest(csrf_token(secret, session), token)


def report_csp(html: str) -> str:
    """The report page's policy: its own inline scripts by hash, inline styles, nothing from anywhere."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'" for body in _SCRIPT.findall(html)
    )
    return (
        f"default-src 'none'; script-src {hashes or chr(39) + 'none' + chr(39)}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    )


def set_session_cookie(response, session: str, secure: bool) -> None:
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", secure=secure, path="/")


def attachment(filename: str) -> str:
    """Content-Disposition for a download with a Chinese name (RFC 6266 / 5987), plus an ASCII fallback."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
