#!/usr/bin/env python3
"""A stand-in for an OpenAI-compatible chat-completions endpoint, on
127.0.0.1, for tests/cli/extract.t.

  model-httpd.py --port-file FILE --log FILE

POST /good/chat/completions answers a completion whose message is the
JSON object of fields below; /fenced the same inside a ```json fence;
/garbage a body that is not JSON; /prose a completion whose message is
prose; /slow answers after 5 s.  --log: each request's path, its
Authorization header and its body, as one JSON object a line.  The port
is written to the port file once the server listens.
"""
import argparse
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FIELDS = {"name": "Karen J. Baker", "number": "AB7684269",
          "authority": "Drug Enforcement Administration",
          "issued": "2025-05-01", "expires": "2029-05-31"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        with open(self.server.log, "a") as f:
            f.write(json.dumps({"path": self.path,
                                "auth": self.headers.get("Authorization"),
                                "body": body}) + "\n")
        kind = self.path.split("/")[1]
        if kind == "slow":
            time.sleep(5)
        if kind == "garbage":
            data = b"<html>oops</html>"
        else:
            content = json.dumps(FIELDS)
            if kind == "fenced":
                content = "```json\n" + content + "\n```"
            elif kind == "prose":
                content = "The license looks fine to me."
            data = json.dumps({"choices": [{"message": {
                "role": "assistant", "content": content}}]}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.log = a.log
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
