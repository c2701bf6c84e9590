"""``python -m local_api --host 127.0.0.1 --port 8000 --api-key KEY --log-dir DIR``.

Serves the local pricing API in the foreground until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from local_api.server import PricingServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local_api", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--api-key", default=os.environ.get("LOCAL_API_KEY"), help="required x-api-key (default: none)")
    parser.add_argument("--log-dir", default=None, help="write the request log under this folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    server = PricingServer((args.host, args.port), api_key=args.api_key, log_dir=args.log_dir)

    def stop(signum: int, frame: object) -> None:
        # shutdown() blocks until serve_forever returns, so it must run on another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    key_note = "x-api-key required" if args.api_key else "no API key"
    print(f"local pricing API on {server.url}/predict ({key_note}); Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
