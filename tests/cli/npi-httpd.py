#!/usr/bin/env python3
"""A stand-in for the NPPES registry API on 127.0.0.1, for tests and the
benchmark.  GET /...?version=2.1&number=N answers DIR/N.json, or an empty
result set when there is no such file.

  npi-httpd.py --dir DIR --port-file FILE [--mode MODE] [--log FILE]
               [--fail NPI,NPI] [--delay MS] [--log-times]

Modes: normal; flaky (each NPI's first request gets HTTP 500, the next
the answer); down (always 500); stall (never answers); errors (an Errors
array with HTTP 200); invalid (a body that is not JSON); empty (no
results for anyone); synth (any NPI answered from DIR/template.json with
its number filled in, for the benchmark).  --fail: these NPIs always get
HTTP 500.  --control FILE: read before each request when it exists, lines
mode=MODE, fail=NPI,NPI and dir=DIR override the options (so one server
serves a whole test file; a new mode starts flaky afresh).  The port (0 = any free one) is written to the port file once
the server listens.
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ERRORS = {"Errors": [{"field": "generic", "number": "04",
                      "description": "No valid search criteria provided"}]}
EMPTY = {"result_count": 0, "results": []}

seen = set()
lock = threading.Lock()
last_mode = [None]


def control(args):
    """The options, overridden by the control file when there is one."""
    a = argparse.Namespace(**vars(args))
    if args.control and os.path.exists(args.control):
        with open(args.control) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                if k == "mode":
                    a.mode = v
                elif k == "fail":
                    a.fail = set(x for x in v.split(",") if x)
                elif k == "dir":
                    a.dir = v
    with lock:
        if a.mode != last_mode[0]:
            seen.clear()
            last_mode[0] = a.mode
    return a


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

    def do_GET(self):
        a = control(self.server.args)
        q = parse_qs(urlparse(self.path).query)
        num = q.get("number", [""])[0]
        if a.log:
            with lock, open(a.log, "a") as f:
                if a.log_times:
                    f.write("%s %.6f\n" % (num, time.time()))
                else:
                    f.write(num + "\n")
        if a.delay:
            time.sleep(a.delay / 1000.0)
        if q.get("version", [""])[0] != "2.1":
            return self.send(200, json.dumps({"Errors": [{
                "field": "version", "number": "17",
                "description": "Unsupported Version"}]}))
        mode = a.mode
        if num in a.fail or mode == "down":
            return self.send(500, "internal error\n", "text/plain")
        if mode == "flaky":
            with lock:
                first = num not in seen
                seen.add(num)
            if first:
                return self.send(500, "internal error\n", "text/plain")
        if mode == "stall":
            time.sleep(60)
            return
        if mode == "errors":
            return self.send(200, json.dumps(ERRORS))
        if mode == "invalid":
            return self.send(200, '{"result_count": 1, "results": [{"num')
        if mode == "empty":
            return self.send(200, json.dumps(EMPTY))
        if mode == "synth":
            body = self.server.template.replace("@NPI@", num)
            return self.send(200, body)
        path = os.path.join(a.dir, num + ".json")
        if num.isdigit() and os.path.exists(path):
            with open(path, "rb") as f:
                return self.send(200, f.read())
        return self.send(200, json.dumps(EMPTY))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--mode", default="normal",
                   choices=["normal", "flaky", "down", "stall", "errors",
                            "invalid", "empty", "synth"])
    p.add_argument("--log")
    p.add_argument("--control")
    p.add_argument("--log-times", action="store_true")
    p.add_argument("--fail", default="")
    p.add_argument("--delay", type=int, default=0)
    a = p.parse_args()
    a.fail = set(x for x in a.fail.split(",") if x)
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.args = a
    if a.mode == "synth":
        with open(os.path.join(a.dir, "template.json")) as f:
            srv.template = f.read()
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
