"""`marsad serve`: the web app (marsad/web/app.py) under uvicorn. marsad/cli.py registers it with
`add_commands(sub)`."""
from __future__ import annotations

import argparse
import sys

from ..config import environment

SERVE_EPILOG = """\
examples:
  marsad serve                              analyse articles at http://127.0.0.1:8000/ (no corpus search)
  marsad serve --db war.db                  ... and search war.db (read-only)
  MARSAD_TOKEN=secret marsad serve --db war.db   ... and accept POST /api/ingest with Authorization: Bearer secret
The JSON API's schema is at /openapi.json. Binds 127.0.0.1 unless --host says otherwise.
"""


def add_commands(sub) -> None:
    """Register serve on the `marsad` subparsers."""
    s = sub.add_parser("serve", help="a local web app and JSON API: analyse articles, search a corpus",
                       description="Serve a web page and a JSON API to analyse articles and search a corpus database.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=SERVE_EPILOG)
    s.add_argument("--db", metavar="DB", default=environment("MARSAD_DB"),
                   help="corpus to search: a SQLite file (must exist) or a postgresql:// URL (default $MARSAD_DB, "
                        "else none: no search)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--token", metavar="TOKEN",
                   help="allow writes (POST /api/ingest) with Authorization: Bearer TOKEN; default $MARSAD_TOKEN, "
                        "else read-only")
    from ..cli_options import add_profile_option

    add_profile_option(s)
    s.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    try:
        import uvicorn

        from .app import create_app
    except ImportError as e:
        print(f"marsad: serve needs the web extra: pip install 'marsad[web]' (from a checkout: pip install '.[web]'); {e}", file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print("marsad: --port must be 1..65535", file=sys.stderr)
        return 2
    try:
        app = create_app(args.db, args.token or environment("MARSAD_TOKEN"), profile=args.profile)
    except Exception as e:  # missing file, not a corpus database, newer schema
        print(f"marsad: {e}", file=sys.stderr)
        return 2
    # Models loaded before the first request, and OpenMP/BLAS held to one thread for the whole server: the
    # per-document limit (marsad/threads.py) is process-wide state that concurrent requests would race on.
    from ..pipeline import load_models
    from ..threads import limit_process

    load_models({"profile": args.profile}, announce=True)
    limit_process(1)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
