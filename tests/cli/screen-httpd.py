#!/usr/bin/env python3
"""screen-httpd.py - a local HTTP server for tests/cli/screen.t.

    screen-httpd.py PORTFILE DIR

Binds 127.0.0.1 on a free port, writes the port to PORTFILE, serves the
files of DIR under /MODE/NAME (any query string is ignored):

  ok     200 with ETag and Last-Modified; 304 when If-None-Match or
         If-Modified-Since says the client has it
  404    not found
  500    server error, always
  flaky  500 on the first request for a path, then as ok
  trunc  Content-Length larger than the bytes sent, then the connection
         closes
  stall  headers and the first bytes, then nothing for 60 seconds
  cutNN  200 with the whole file's ETag but no Content-Length, the header
         line and the first NN percent of the other lines, then the
         connection closes: a download cut at a row boundary, which the
         client cannot tell from a whole one

Every request is appended to DIR/requests.log as "METHOD PATH INM IMS".
"""
import hashlib
import http.server
import os
import sys
import time

LASTMOD = "Mon, 10 Aug 2026 12:00:00 GMT"
seen = set()


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        parts = path.strip("/").split("/", 1)
        inm = self.headers.get("If-None-Match", "-")
        ims = self.headers.get("If-Modified-Since", "-")
        with open(os.path.join(root, "requests.log"), "a") as f:
            f.write("GET %s %s %s\n" % (path, inm.replace(" ", "_"),
                                        ims.replace(" ", "_")))
        if len(parts) != 2:
            return self.plain(404, b"no\n")
        mode, name = parts
        fn = os.path.join(root, os.path.basename(name))
        if mode == "404" or not os.path.isfile(fn):
            return self.plain(404, b"not found\n")
        if mode == "500":
            return self.plain(500, b"boom\n")
        if mode == "flaky" and path not in seen:
            seen.add(path)
            return self.plain(500, b"try again\n")
        with open(fn, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        fresh = inm == etag if inm != "-" else ims == LASTMOD
        if mode in ("ok", "flaky") and fresh:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LASTMOD)
        if name.lower().endswith(".zip"):
            self.send_header("Content-Disposition", 'attachment; '
                             'filename="SAM_Exclusions_Public_Extract_V2_26100.ZIP"')
        if mode.startswith("cut") and mode[3:].isdigit():
            lines = body.splitlines(keepends=True)
            keep = (len(lines) - 1) * int(mode[3:]) // 100
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"".join(lines[: 1 + keep]))
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "trunc":
            self.send_header("Content-Length", str(len(body) + 1000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "stall":
            self.wfile.write(body[:10])
            self.wfile.flush()
            time.sleep(60)
            return
        self.wfile.write(body)

    def plain(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    portfile, root = sys.argv[1], sys.argv[2]
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()
