#!/usr/bin/python3
"""mysql-witness: watches a MariaDB primary/replica pair and, when asked to, fails over automatically.

Installed by provision (roles/mysql_witness). Polls every server once a second over MySQL with its own
least-privilege account and applies these rules (README.md):

  * a writable primary (read_only=OFF, not a replica) exists: nothing to do;
  * two writable servers: split brain, logged, never touched automatically;
  * none for hold_down seconds:
      - the server the replica follows answers, is read-only, restarted during this outage (its Uptime)
        and is not behind the replica (a primary that came back read-only from its config): make it
        writable again (a server fenced by failover.yaml has been up all along: never unfenced);
      - else, when the replica agrees its primary is gone (IO thread not connected) and its SQL thread
        is healthy: apply the relay log, STOP SLAVE, RESET SLAVE ALL, read_only=OFF (a failover);
        never twice within cooldown seconds (persisted across restarts).
  * auto_failover=no or the switch-off file present: every decision is logged, nothing is changed.

Every decision and every change of what it sees goes to stdout (the journal).
"""

import configparser
import os
import sys
import time

import pymysql
import pymysql.cursors


def log(message):
    print(message, flush=True)


class Settings:
    def __init__(self, path):
        parser = configparser.ConfigParser(interpolation=None)
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
        w = parser["witness"]
        self.user = w.get("user")
        self.password = w.get("password")
        self.interval = w.getfloat("interval", 1.0)
        self.hold_down = w.getfloat("hold_down", 5.0)
        self.cooldown = w.getfloat("cooldown", 600.0)
        self.auto_failover = w.getboolean("auto_failover", False)
        self.disable_file = w.get("disable_file")
        self.state_dir = w.get("state_dir", "/var/lib/mysql-witness")
        self.connect_timeout = w.getint("connect_timeout", 1)
        self.wait_timeout = w.getint("wait_timeout", 30)
        self.servers = [
            (name[len("server "):], s.get("host"), s.getint("port", 3306))
            for name, s in parser.items()
            if name.startswith("server ")
        ]


def parse_gtids(text):
    out = []
    for g in (text or "").split(","):
        g = g.strip()
        if g:
            d, s, n = (int(x) for x in g.split("-"))
            out.append((d, s, n))
    return out


def missing_from(gtids, state):
    """GTIDs of `gtids` (a position) that `state` (a gtid_binlog_state) does not contain."""
    have = parse_gtids(state)
    return [g for g in parse_gtids(gtids) if not any(h[0] == g[0] and h[1] == g[1] and h[2] >= g[2] for h in have)]


class Witness:
    def __init__(self, settings):
        self.s = settings
        self.no_primary_since = None
        self.last_seen = None
        self.last_decision = None
        self.cooldown_file = os.path.join(settings.state_dir, "last-failover")

    # ---- observation ----

    def connect(self, host, port):
        return pymysql.connect(
            host=host, port=port, user=self.s.user, password=self.s.password,
            connect_timeout=self.s.connect_timeout, read_timeout=self.s.wait_timeout + 5,
            write_timeout=5, autocommit=True, cursorclass=pymysql.cursors.DictCursor,
        )

    def probe(self, host, port):
        """The server's state, or the reason it cannot be read."""
        try:
            conn = self.connect(host, port)
        except Exception as e:  # noqa: BLE001 (any failure means: not reachable)
            return {"error": str(e)}
        try:
            with conn.cursor() as c:
                c.execute("SELECT @@read_only AS ro, @@gtid_binlog_pos AS pos, @@gtid_binlog_state AS state, @@gtid_slave_pos AS slave_pos")
                row = c.fetchone()
                c.execute("SHOW SLAVE STATUS")
                slave = c.fetchone()
                c.execute("SHOW GLOBAL STATUS LIKE 'Uptime'")
                uptime = int(c.fetchone()["Value"])
            return {"read_only": int(row["ro"]) == 1, "pos": row["pos"], "state": row["state"], "slave_pos": row["slave_pos"], "slave": slave, "uptime": uptime}
        except Exception as e:  # noqa: BLE001
            return {"error": str(e)}
        finally:
            conn.close()

    def describe(self, seen):
        parts = []
        for name, _host, _port in self.s.servers:
            st = seen[name]
            if "error" in st:
                parts.append(f"{name}=unreachable")
            elif st["slave"]:
                sl = st["slave"]
                parts.append(f"{name}=replica(io={sl['Slave_IO_Running']},sql={sl['Slave_SQL_Running']},of={sl['Master_Host']})")
            else:
                parts.append(f"{name}={'fenced' if st['read_only'] else 'primary'}")
        return " ".join(parts)

    def decide(self, message):
        """Logs a decision once (the same decision every second would drown the journal)."""
        if message != self.last_decision:
            log(message)
            self.last_decision = message

    # ---- rules ----

    def may_act(self):
        if not self.s.auto_failover:
            return "auto_failover is off"
        if self.s.disable_file and os.path.exists(self.s.disable_file):
            return f"switched off by {self.s.disable_file}"
        return None

    def last_failover(self):
        try:
            with open(self.cooldown_file, encoding="utf-8") as f:
                return float(f.read().strip())
        except (OSError, ValueError):
            return None

    def tick(self):
        seen = {name: self.probe(host, port) for name, host, port in self.s.servers}
        summary = self.describe(seen)
        if summary != self.last_seen:
            log(f"state: {summary}")
            self.last_seen = summary
        ok = {n: st for n, st in seen.items() if "error" not in st}
        writable = [n for n, st in ok.items() if not st["read_only"] and not st["slave"]]
        if len(writable) == 1:
            if self.no_primary_since is not None:
                log(f"decision: {writable[0]} is the writable primary again")
            self.no_primary_since = None
            self.last_decision = None
            return
        if len(writable) > 1:
            self.decide(f"decision: SPLIT BRAIN, {' and '.join(writable)} are both writable: no automatic action, an operator must fence one")
            return
        now = time.monotonic()
        if self.no_primary_since is None:
            self.no_primary_since = now
            log(f"no writable primary ({summary}); holding down {self.s.hold_down:g} s")
        if now - self.no_primary_since < self.s.hold_down:
            return
        replicas = [n for n, st in ok.items() if st["slave"]]
        if not replicas:
            self.decide(f"decision: no writable primary and no reachable replica ({summary}): nothing safe to do")
            return
        r = replicas[0]
        sl = ok[r]["slave"]
        hosts = {name: host for name, host, _port in self.s.servers}
        followed = next((n for n, h in hosts.items() if h == sl["Master_Host"] and n != r), None)
        fst = ok.get(followed) if followed else None
        # A primary that restarted during this outage (its uptime says so: a server fenced by failover.yaml
        # has been up all along and must stay fenced) comes back read-only from its config: writable
        # again, unless the replica received transactions it lost.
        restarted = fst is not None and fst["uptime"] <= (now - self.no_primary_since) + self.s.interval + 2 * self.s.connect_timeout + 5
        if fst is not None and fst["read_only"] and not fst["slave"] and restarted:
            ahead = missing_from(sl.get("Gtid_IO_Pos") or ok[r]["slave_pos"], fst["state"])
            if not ahead:
                self.act(f"make {followed} writable again (it restarted read-only; {r} follows it and is not ahead)", lambda: self.unfence(followed))
                return
            log(f"{followed} answers but lacks {','.join(f'{d}-{s}-{n}' for d, s, n in ahead)} that {r} received: it must not take writes")
        if sl["Slave_IO_Running"] == "Yes":
            self.decide(f"decision: no action: {r} is still connected to its primary {sl['Master_Host']} (IO thread running), so the primary may be alive and only unreachable from here")
            return
        if sl["Slave_SQL_Running"] != "Yes" or str(sl.get("Last_SQL_Errno", "0")) != "0":
            self.decide(f"decision: no action: {r}'s SQL thread is not healthy (Slave_SQL_Running={sl['Slave_SQL_Running']}, {sl.get('Last_SQL_Error', '')}): promoting it could lose data")
            return
        last = self.last_failover()
        if last is not None and time.time() - last < self.s.cooldown:
            self.decide(f"decision: no action: the last automatic failover was {time.time() - last:.0f} s ago (cool-down {self.s.cooldown:g} s)")
            return
        self.act(f"fail over: promote {r} (its primary {sl['Master_Host']} is gone: IO thread {sl['Slave_IO_Running']}, {sl.get('Last_IO_Error', '')})", lambda: self.promote(r))

    def act(self, what, action):
        blocked = self.may_act()
        if blocked:
            self.decide(f"decision: would {what}; not done: {blocked}")
            return
        log(f"decision: {what}")
        started = time.monotonic()
        try:
            result = action()
            log(f"done in {time.monotonic() - started:.2f} s: {result}")
            self.last_decision = None
        except Exception as e:  # noqa: BLE001
            log(f"FAILED after {time.monotonic() - started:.2f} s: {e}")

    # ---- actions ----

    def server(self, name):
        _n, host, port = next(s for s in self.s.servers if s[0] == name)
        return self.connect(host, port)

    def unfence(self, name):
        conn = self.server(name)
        try:
            with conn.cursor() as c:
                c.execute("SHOW SLAVE STATUS")
                if c.fetchone():
                    raise RuntimeError(f"{name} became a replica meanwhile")
                c.execute("SET GLOBAL read_only = OFF")
            return f"{name} is writable"
        finally:
            conn.close()

    def promote(self, name):
        conn = self.server(name)
        try:
            with conn.cursor() as c:
                c.execute("STOP SLAVE IO_THREAD")
                c.execute("SHOW SLAVE STATUS")
                io_pos = c.fetchone()["Gtid_IO_Pos"]
                c.execute("SELECT MASTER_GTID_WAIT(%s, %s) AS r", (io_pos, self.s.wait_timeout))
                if int(c.fetchone()["r"]) != 0:
                    c.execute("START SLAVE IO_THREAD")
                    raise RuntimeError(f"{name} did not apply its relay log ({io_pos}) within {self.s.wait_timeout} s: not promoted")
                # Last look before the point of no return: another server made writable meanwhile (the
                # mysql role, failover.yaml) wins, and this replica replicates again.
                others = [n for n, h, p in self.s.servers if n != name and not self.probe(h, p).get("read_only", True)]
                if others:
                    c.execute("START SLAVE IO_THREAD")
                    raise RuntimeError(f"{', '.join(others)} became writable meanwhile: not promoted")
                c.execute("STOP SLAVE")
                try:
                    c.execute("RESET SLAVE ALL")
                except Exception:
                    # Still a replica, as before: let it replicate again rather than leave it stopped.
                    c.execute("START SLAVE")
                    raise
                c.execute("SET GLOBAL read_only = OFF")
                c.execute("SELECT @@gtid_binlog_pos AS pos")
                pos = c.fetchone()["pos"]
            with open(self.cooldown_file, "w", encoding="utf-8") as f:
                f.write(f"{time.time()}\n")
            return f"{name} is the primary at {pos} (applied up to {io_pos}); the old primary returns read-only, rejoin it with playbooks/rejoin.yaml"
        finally:
            conn.close()


def main():
    settings = Settings(sys.argv[1] if len(sys.argv) > 1 else "/etc/mysql-witness/witness.conf")
    w = Witness(settings)
    names = ", ".join(f"{n} ({h}:{p})" for n, h, p in settings.servers)
    log(f"watching {names} every {settings.interval:g} s; hold-down {settings.hold_down:g} s, cool-down {settings.cooldown:g} s, "
        f"automatic failover {'on' if settings.auto_failover else 'off (monitor and log only)'}, switch-off file {settings.disable_file}")
    while True:
        started = time.monotonic()
        try:
            w.tick()
        except Exception as e:  # noqa: BLE001 (one bad poll must not end the watch)
            log(f"poll failed: {e}")
        time.sleep(max(0.0, settings.interval - (time.monotonic() - started)))


if __name__ == "__main__":
    main()
