#!/usr/bin/env python3
"""A stand-in for a state board's license lookup that answers JSON, on
127.0.0.1, for tests/cli/verify-http.t.

  board-httpd.py --dir DIR --port-file FILE [--log FILE]

GET /license/NUMBER (NUMBER URL-decoded) answers DIR/NUMBER.json, or HTTP
404 when there is no such file; GET /search?number=N&last=L answers a
JSON array of DIR/N.json's record (an empty array when none).  A few
numbers act instead: BADJSON (a body that is not JSON), EMPTY (HTTP 200,
no body), NULL (the JSON null), SLOW (answers after 30 s), DOWN (HTTP 500
every time), FLAKY (HTTP 500, then the answer of FLAKY.json), FORBIDDEN
(HTTP 403).  --log: each request's path, one a line.  The port is written
to the port file once the server listens.
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

lock = threading.Lock()
seen = set()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self, num):
        path = os.path.join(self.server.args.dir, num + ".json")
        if "/" in num or num.startswith(".") or not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def do_GET(self):
        a = self.server.args
        if a.log:
            with lock, open(a.log, "a") as f:
                f.write(self.path + "\n")
        u = urlparse(self.path)
        if u.path == "/search":
            q = parse_qs(u.query)
            body = self.record(q.get("number", [""])[0])
            rec = [json.loads(body)] if body else []
            return self.send(200, json.dumps(rec))
        if not u.path.startswith("/license/"):
            return self.send(404, "no such page\n", "text/plain")
        num = unquote(u.path[len("/license/"):])
        if num == "BADJSON":
            return self.send(200, '{"license": {"number": "BADJSON", "st')
        if num == "EMPTY":
            return self.send(200, "")
        if num == "NULL":
            return self.send(200, "null")
        if num == "SLOW":
            time.sleep(30)
            return self.send(200, "{}")
        if num == "DOWN":
            return self.send(500, "internal error\n", "text/plain")
        if num == "FORBIDDEN":
            return self.send(403, "forbidden\n", "text/plain")
        if num == "FLAKY":
            with lock:
                first = num not in seen
                seen.add(num)
            if first:
                return self.send(500, "internal error\n", "text/plain")
        body = self.record(num)
        if body is None:
            return self.send(404, '{"error": "not found"}')
        return self.send(200, body)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log")
    a = p.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.args = a
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
