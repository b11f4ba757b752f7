"""``dateline serve``: run the HTTP API and web page with uvicorn."""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_DB = "sqlite:///dateline.db"


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the store at ``args.db`` on ``args.host:args.port`` until interrupted."""
    import uvicorn

    from dateline.web.app import create_app

    options = {"host": args.host, "port": args.port, "log_level": args.log_level,
               "access_log": args.log_level == "debug"}
    print(f"dateline serve: http://{args.host}:{args.port}/  (API docs at /docs, store {args.db})", file=sys.stderr)
    if args.workers > 1:  # each worker process opens the store itself
        os.environ["DATELINE_DB"] = args.db
        uvicorn.run("dateline.web.app:app_from_env", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(args.db), **options)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` subcommand."""
    p = subparsers.add_parser("serve", help="HTTP API (OpenAPI docs at /docs) and web page over a store",
                              description="Serve the event store over HTTP. Writes (POST /api/documents) need "
                                          "DATELINE_API_KEY; set DATELINE_API_READ_KEY to require a key for reads.")
    p.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB})")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    p.set_defaults(func=cmd_serve)
