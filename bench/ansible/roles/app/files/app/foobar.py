"""foobar: a small message board behind Nginx.

Writes go to the one writable MariaDB server (the primary), reads to a replica and, when no replica
answers, to the primary. Which server is which is read from the servers themselves (@@read_only and
SHOW SLAVE STATUS), never from a setting, so the app follows a failover without being touched. A
server that is read-only and does not replicate is fenced (an old primary after a failover): never
read from it, its data may be stale. Settings, the password and the session key included, come from
/etc/foobar/app.ini (root:foobar 0640), never from argv or the environment.
"""

import configparser
import logging
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pymysql
from flask import Flask, jsonify, redirect, render_template, request, session

CONFIG_PATH = os.environ.get("FOOBAR_CONFIG", "/etc/foobar/app.ini")
HOST = socket.gethostname()
MAX_TEXT = 500
HERE = os.path.dirname(os.path.abspath(__file__))

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS messages (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  text VARCHAR({MAX_TEXT}) NOT NULL,
  host VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) DEFAULT CHARSET=utf8mb4
"""

log = logging.getLogger("foobar")
DB_ERRORS = (pymysql.MySQLError, OSError)


def load_config(path):
    # No interpolation: a password may contain "%".
    parser = configparser.ConfigParser(interpolation=None)
    with open(path, encoding="utf-8") as f:
        parser.read_file(f)
    return parser


def read_version():
    try:
        with open(os.path.join(HERE, "VERSION"), encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


config = load_config(CONFIG_PATH)
DB = config["database"]
SERVERS = [s.strip() for s in DB["servers"].split(",") if s.strip()]
# Bounded everywhere: a server that is down costs at most connect_timeout, never a hang.
CONNECT_TIMEOUT = DB.getint("connect_timeout", 1)
QUERY_TIMEOUT = DB.getint("query_timeout", 5)
# A write may wait for the replica's acknowledgement (semi-synchronous replication) up to the
# primary's rpl_semi_sync_master_timeout: the write timeout must be longer than that.
WRITE_TIMEOUT = DB.getint("write_timeout", 10)
TOPOLOGY_TTL = DB.getfloat("topology_ttl", 1.0)
VERSION = read_version()

# Nginx serves /static/ itself; the app has no static route, so a static file seen here is a proxy mistake.
app = Flask(__name__, static_folder=None)
# One key on every web server: a session started through one backend is valid on the other.
app.secret_key = config["app"]["secret_key"]
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")


def connect(server, read_timeout=QUERY_TIMEOUT, database=True):
    host, _, port = server.partition(":")
    return pymysql.connect(
        host=host,
        port=int(port or 3306),
        user=DB["user"],
        password=DB["password"],
        database=DB["name"] if database else None,
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=read_timeout,
        write_timeout=read_timeout,
        charset="utf8mb4",
        autocommit=True,
    )


def probe(server):
    """What a server is now: primary (writable), replica (read-only, replicating), fenced or down."""
    try:
        with connect(server, database=False) as conn, conn.cursor(pymysql.cursors.DictCursor) as cur:
            cur.execute("SELECT @@read_only AS ro")
            if not cur.fetchone()["ro"]:
                return "primary"
            cur.execute("SHOW SLAVE STATUS")
            status = cur.fetchone() or {}
            return "replica" if status.get("Slave_SQL_Running") == "Yes" else "fenced"
    except DB_ERRORS as e:
        log.warning("database %s unreachable: %s", server, e)
        return "down"


_pool = ThreadPoolExecutor(max_workers=max(2, len(SERVERS)))
_changed = threading.Condition()
_generation = 0
_topology = {}
_refresh_now = threading.Event()
_refresher = None


def _refresh_forever():
    global _topology, _generation
    while True:
        roles = dict(zip(SERVERS, _pool.map(probe, SERVERS)))
        with _changed:
            _topology, _generation = roles, _generation + 1
            _changed.notify_all()
        _refresh_now.wait(TOPOLOGY_TTL)
        _refresh_now.clear()


def topology(newer_than=0):
    """(generation, {server: role}) as last probed. A thread of each worker (gunicorn forks them, so it
    starts on first use) probes every server every TOPOLOGY_TTL seconds, in parallel, so a request never
    waits for a server that is down; `newer_than` waits (bounded) for a probe after that generation."""
    global _refresher
    with _changed:
        if _refresher is None:
            _refresher = threading.Thread(target=_refresh_forever, name="topology", daemon=True)
            _refresher.start()
        _changed.wait_for(lambda: _generation > newer_than, timeout=CONNECT_TIMEOUT + 1)
        return _generation, _topology


def forget_topology():
    """Something failed: probe again now rather than at the next tick."""
    _refresh_now.set()


def suspect(server):
    """A server just failed a request: the next requests skip it until the next probe says otherwise."""
    global _topology
    with _changed:
        _topology = {**_topology, server: "down"}
    forget_topology()


def servers_with(role, roles):
    return [s for s in SERVERS if roles.get(s) == role]


def read_sources():
    _, roles = topology()
    return servers_with("replica", roles) + servers_with("primary", roles)


def writable_server(roles):
    primaries = servers_with("primary", roles)
    if len(primaries) > 1:
        # Two writable servers is a split brain: writing to either could fork the data.
        log.error("more than one writable database server: %s; refusing writes", primaries)
        return None
    return primaries[0] if primaries else None


_schema_ready = set()


class Unavailable(Exception):
    """No server can do what was asked."""


def query(sql, args=()):
    """Rows of a read, from a replica, else the primary; [] while the table does not exist yet."""
    last = None
    for server in read_sources():
        try:
            with connect(server) as conn, conn.cursor(pymysql.cursors.DictCursor) as cur:
                cur.execute(sql, args)
                return cur.fetchall()
        except pymysql.err.ProgrammingError as e:
            if e.args and e.args[0] == 1146:  # table doesn't exist: nothing was written yet
                return []
            raise
        except DB_ERRORS as e:
            log.warning("reading from %s failed: %s", server, e)
            last = e
            suspect(server)
    raise Unavailable(f"no database server can serve reads ({last})")


def write(sql, args=()):
    """Runs one write on the primary. A connection that could not be opened is safe to retry once on a
    newly found primary (nothing was sent); a statement that may have reached the server is not."""
    generation, roles = topology()
    for attempt in (1, 2):
        server = writable_server(roles)
        if server is None:
            raise Unavailable("no writable database server")
        try:
            conn = connect(server, read_timeout=WRITE_TIMEOUT)
        except DB_ERRORS as e:
            log.warning("connecting to primary %s failed (attempt %d): %s", server, attempt, e)
            suspect(server)
            generation, roles = topology(newer_than=generation)
            continue
        with conn, conn.cursor() as cur:
            if server not in _schema_ready:
                # Once per primary and process: CREATE ... IF NOT EXISTS still writes a binlog event.
                cur.execute(SCHEMA)
                _schema_ready.add(server)
            cur.execute(sql, args)
            return
    raise Unavailable("the primary is unreachable")


def latest_messages():
    limit = config["app"].getint("messages_shown", 20)
    rows = query("SELECT id, text, host, created_at FROM messages ORDER BY id DESC LIMIT %s", (limit,))
    for row in rows:
        row["created_at"] = row["created_at"].isoformat()
    return rows


READ_FAILURES = (Unavailable,) + DB_ERRORS


@app.get("/")
def index():
    try:
        messages, error = latest_messages(), None
    except READ_FAILURES as e:
        log.warning("reading messages failed: %s", e)
        messages, error = [], "The database is unavailable: messages cannot be shown right now."
    return render_template("index.html", host=HOST, messages=messages, error=error), 503 if error else 200


@app.post("/messages")
def post_message():
    text = request.form.get("text", "").strip()
    if not text or len(text) > MAX_TEXT:
        return f"text must be 1 to {MAX_TEXT} characters\n", 400
    try:
        write("INSERT INTO messages (text, host) VALUES (%s, %s)", (text, HOST))
    except READ_FAILURES as e:
        log.warning("writing a message failed: %s", e)
        forget_topology()
        return "The database is unavailable: try again later.\n", 503
    session["posted"] = session.get("posted", 0) + 1
    # Relative Location: right behind any proxy, http or https.
    return redirect("/", code=303)


@app.get("/api/messages")
def api_messages():
    try:
        return jsonify(host=HOST, messages=latest_messages())
    except READ_FAILURES as e:
        log.warning("reading messages failed: %s", e)
        return jsonify(host=HOST, error="database unavailable"), 503


@app.get("/session")
def session_info():
    """The visitor's session: where it started and how many requests it saw, on whichever backend."""
    session.permanent = True
    session.setdefault("started_on", HOST)
    session["visits"] = session.get("visits", 0) + 1
    return jsonify(host=HOST, started_on=session["started_on"], visits=session["visits"], posted=session.get("posted", 0))


@app.get("/health")
def health():
    """HAProxy's check: 200 while reads can be served from some server; the body says which are up."""
    _, roles = topology()
    primary = "ok" if servers_with("primary", roles) else "error"
    replica = "ok" if servers_with("replica", roles) else "error"
    readable = "ok" in (primary, replica)
    status = "ok" if primary == replica == "ok" else "degraded" if readable else "unavailable"
    body = {"status": status, "host": HOST, "version": VERSION, "primary": primary, "replica": replica, "servers": roles}
    return jsonify(body), 200 if readable else 503
