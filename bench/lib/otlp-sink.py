#!/usr/bin/env python3
"""A collector that listens: accepts OTLP/HTTP protobuf exports on 127.0.0.1:PORT, answers each with an empty
success message, and on SIGTERM prints how many exports and bytes it took per signal (traces, metrics, logs)."""
import signal
import sys
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

exports, sizes = Counter(), Counter()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        signal_name = self.path.rstrip("/").rsplit("/", 1)[-1]
        exports[signal_name] += 1
        sizes[signal_name] += len(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def report(*_):
    print(" ".join(f"{name}: {exports[name]} exports, {sizes[name]} bytes;" for name in sorted(exports)) or "nothing received", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, report)
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
