"""`fazhi-audit serve`: the checker as a local web page and a small HTTP API.

    from fazhi_audit.web import ServeSettings, create_app
    app = create_app(ServeSettings(workers=1))   # a Starlette (ASGI) application

app.py has the routes, uploads.py reads uploads within the limits, store.py
holds results in memory, worker.py runs the audits in processes that load
the model once, security.py has sessions, CSRF tokens and the headers, and
server.py starts uvicorn for the command.

The audit processes are started with "spawn": a script that serves the app
itself must start it under `if __name__ == "__main__":`.
"""

from fazhi_audit.web.app import create_app
from fazhi_audit.web.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
