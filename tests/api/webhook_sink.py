#!/usr/bin/python3
"""A real HTTP webhook receiver on loopback for the API tests (tests/api/notify.c).

    /usr/bin/python3 tests/api/webhook_sink.py DIR
Listens on a free 127.0.0.1 port and writes the port to DIR/port. Each POST is saved as
DIR/NNNN.json (its body) and answered with the status code in DIR/status (read on every
request; 200 when the file is absent). Runs until killed."""
import http.server
import os
import sys

out = sys.argv[1]


class Hook(http.server.BaseHTTPRequestHandler):
    count = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Hook.count += 1
        tmp = os.path.join(out, "%04d.tmp" % Hook.count)
        with open(tmp, "wb") as f:
            f.write(body)
        os.rename(tmp, os.path.join(out, "%04d.json" % Hook.count))
        try:
            with open(os.path.join(out, "status")) as f:
                status = int(f.read().strip())
        except FileNotFoundError:
            status = 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), Hook)
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
srv.serve_forever()
