"""foobar: a small message board behind Nginx.

Writes go to the MariaDB primary, reads come from the replica (replication carries the writes over),
so every page shows which server answered and whether each database is reachable. Settings, the
password included, come from /etc/foobar/app.ini (root:foobar 0640), never from argv or the environment.
"""

import configparser
import logging
import os
import socket

import pymysql
from flask import Flask, jsonify, redirect, render_template, request

CONFIG_PATH = os.environ.get("FOOBAR_CONFIG", "/etc/foobar/app.ini")
HOST = socket.gethostname()
MAX_TEXT = 500

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS messages (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  text VARCHAR({MAX_TEXT}) NOT NULL,
  host VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) DEFAULT CHARSET=utf8mb4
"""

log = logging.getLogger("foobar")


def load_config(path):
    # No interpolation: a password may contain "%".
    parser = configparser.ConfigParser(interpolation=None)
    with open(path, encoding="utf-8") as f:
        parser.read_file(f)
    return parser


config = load_config(CONFIG_PATH)
# Nginx serves /static/ itself; the app has no static route, so a static file seen here is a proxy mistake.
app = Flask(__name__, static_folder=None)


def connect(role):
    """A new connection to the "primary" or "replica" server (low traffic: no pool needed)."""
    db = config["database"]
    return pymysql.connect(
        host=config[role]["host"],
        port=config[role].getint("port", 3306),
        user=db["user"],
        password=db["password"],
        database=db["name"],
        connect_timeout=db.getint("connect_timeout", 2),
        read_timeout=5,
        write_timeout=5,
        charset="utf8mb4",
        autocommit=True,
    )


def ensure_schema():
    with connect("primary") as conn, conn.cursor() as cur:
        cur.execute(SCHEMA)


def latest_messages():
    """The latest messages, read from the replica; [] while the table has not been created yet."""
    limit = config["app"].getint("messages_shown", 20)
    try:
        with connect("replica") as conn, conn.cursor(pymysql.cursors.DictCursor) as cur:
            cur.execute("SELECT id, text, host, created_at FROM messages ORDER BY id DESC LIMIT %s", (limit,))
            rows = cur.fetchall()
    except pymysql.err.ProgrammingError as e:
        if e.args and e.args[0] == 1146:  # table doesn't exist: nothing was written yet
            return []
        raise
    for row in rows:
        row["created_at"] = row["created_at"].isoformat()
    return rows


def reachable(role):
    try:
        with connect(role) as conn, conn.cursor() as cur:
            cur.execute("SELECT 1")
        return "ok"
    except (pymysql.MySQLError, OSError) as e:
        log.warning("%s database unreachable: %s", role, e)
        return "error"


DB_ERRORS = (pymysql.MySQLError, OSError)


@app.get("/")
def index():
    try:
        messages, error = latest_messages(), None
    except DB_ERRORS as e:
        log.warning("reading messages failed: %s", e)
        messages, error = [], "The database is unavailable: messages cannot be shown right now."
    return render_template("index.html", host=HOST, messages=messages, error=error), 503 if error else 200


@app.post("/messages")
def post_message():
    text = request.form.get("text", "").strip()
    if not text or len(text) > MAX_TEXT:
        return f"text must be 1 to {MAX_TEXT} characters\n", 400
    try:
        ensure_schema()  # cheap (IF NOT EXISTS), and covers a primary that was empty at start
        with connect("primary") as conn, conn.cursor() as cur:
            cur.execute("INSERT INTO messages (text, host) VALUES (%s, %s)", (text, HOST))
    except DB_ERRORS as e:
        log.warning("writing a message failed: %s", e)
        return "The database is unavailable: try again later.\n", 503
    # Relative Location: right behind any proxy, http or https.
    return redirect("/", code=303)


@app.get("/api/messages")
def api_messages():
    try:
        return jsonify(host=HOST, messages=latest_messages())
    except DB_ERRORS as e:
        log.warning("reading messages failed: %s", e)
        return jsonify(host=HOST, error="database unavailable"), 503


@app.get("/health")
def health():
    """200 while reads can be served (the replica answers): HAProxy's health check."""
    primary, replica = reachable("primary"), reachable("replica")
    status = "ok" if primary == replica == "ok" else "degraded" if replica == "ok" else "unavailable"
    body = {"status": status, "host": HOST, "primary": primary, "replica": replica}
    return jsonify(body), 200 if replica == "ok" else 503


# Create the table at start when the primary is up already; otherwise the first write does it.
try:
    ensure_schema()
except DB_ERRORS as e:
    log.warning("schema not created at start (primary unavailable): %s", e)
