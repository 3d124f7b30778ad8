#!/usr/bin/env python3
"""The demo's webhook receiver: takes the backbone's signed pushes on 127.0.0.1:<port> and appends one JSON line
per push to <out file>: the envelope, the X-Bulwark-* headers and whether the signature is valid. The signing
secret is read from the file named by BULWARK_DEMO_WEBHOOK_SECRET_FILE (when it exists at the time of the push),
never from the command line.
  webhook_receiver.py <port> <out file>
"""
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
OUT = sys.argv[2]
SECRET_FILE = os.environ.get("BULWARK_DEMO_WEBHOOK_SECRET_FILE", "")
MAX_BODY = 1 << 20


def signature_valid(timestamp, body, signature):
    if not SECRET_FILE or not os.path.exists(SECRET_FILE) or not signature or not timestamp:
        return False
    with open(SECRET_FILE, encoding="utf-8") as f:
        secret = f.read().strip().encode()
    expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(timestamp)) < 300 if timestamp.isdigit() else False
    return fresh and hmac.compare_digest(expected, signature)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.send_response(413)
            self.end_headers()
            return
        body = self.rfile.read(length)
        try:
            envelope = json.loads(body)
        except ValueError:
            envelope = body.decode("utf-8", "replace")
        record = {
            "path": self.path,
            "messageId": self.headers.get("X-Bulwark-Message-Id"),
            "attempt": self.headers.get("X-Bulwark-Attempt"),
            "signatureValid": signature_valid(self.headers.get("X-Bulwark-Timestamp"), body,
                                              self.headers.get("X-Bulwark-Signature")),
            "envelope": envelope,
        }
        with open(OUT, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        self.send_response(204)
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("webhook-receiver: " + (fmt % args) + "\n")


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
