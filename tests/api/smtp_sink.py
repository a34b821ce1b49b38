#!/usr/bin/python3
"""A real SMTP server on loopback for the API tests (tests/api/accountability.c).

Run with Debian's /usr/bin/python3 (python3-aiosmtpd, installed by scripts/deps.sh):
    /usr/bin/python3 tests/api/smtp_sink.py DIR
Listens on a free 127.0.0.1 port, writes the port to DIR/port, and saves each message as
DIR/NNNN.txt: "RCPT: <address>" per recipient, "SUBJECT: <decoded subject>", a blank line
and the decoded text body. A recipient listed in DIR/refuse (one address a line) is refused
at RCPT with 550, as a server refuses an unknown mailbox. DIR/delay, when there, holds the
seconds each message waits before it is taken (a slow server). Runs until killed."""
import asyncio
import email
import email.header
import email.policy
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller

out = sys.argv[1]


class Sink:
    count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        try:
            with open(os.path.join(out, "refuse"), encoding="utf-8") as f:
                refused = f.read().split()
        except FileNotFoundError:
            refused = []
        if address in refused:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        try:
            with open(os.path.join(out, "delay"), encoding="utf-8") as f:
                await asyncio.sleep(float(f.read()))
        except FileNotFoundError:
            pass
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        Sink.count += 1
        lines = ["RCPT: %s" % r for r in envelope.rcpt_tos]
        lines.append("SUBJECT: %s" % msg["Subject"])
        body = msg.get_body(preferencelist=("plain",))
        text = body.get_content() if body else ""
        tmp = os.path.join(out, "%04d.tmp" % Sink.count)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n\n" + text)
        os.rename(tmp, os.path.join(out, "%04d.txt" % Sink.count))
        return "250 OK"


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
ctl = Controller(Sink(), hostname="127.0.0.1", port=port)
ctl.start()
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(port))
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
try:
    while True:
        time.sleep(3600)
finally:
    ctl.stop()
