#!/usr/bin/python3
"""The lab's webhook receiver (roles/alertmanager): appends every JSON payload POSTed to it, one line
each with the time it arrived, to a file. Usage: alert-receiver.py ADDRESS PORT FILE"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ADDRESS, PORT, FILE = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        try:
            payload = json.loads(body)
        except ValueError:
            self.send_response(400)
            self.end_headers()
            return
        line = json.dumps({'received_at': time.time(), 'payload': payload}, separators=(',', ':'))
        with open(FILE, 'a', encoding='utf-8') as out:
            out.write(line + '\n')
        self.send_response(200)
        self.end_headers()

    def log_message(self, format, *args):  # one journal line per delivery
        sys.stderr.write('%s %s\n' % (self.address_string(), format % args))


ThreadingHTTPServer((ADDRESS, PORT), Handler).serve_forever()
