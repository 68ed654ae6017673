# The twin's mysql_user and mysql_db (community.mysql is not builtin): decides change as provision's
# modules do (account missing, mysql_native_password hash differs, privileges per object differ;
# database missing), reading first and writing only what differs. Prints what it changed (or would, in
# check mode): nothing printed = no change. Arguments come in the environment.
import os, re, subprocess, sys

def sql(query, batch=True):
    out = subprocess.run(['mysql', '--batch', '--skip-column-names', '--raw'], input=query, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr.strip() or 'mysql failed')
    return out.stdout

def lit(s):
    return "'" + s.replace('\\', '\\\\').replace("'", "\\'") + "'"

def ident(s):
    return '`' + s.replace('`', '``') + '`'

def obj_sql(obj):
    db, table = obj.split('.', 1)
    return '.'.join(p if p == '*' else ident(p) for p in (db, table))

check = os.environ.get('CHECK') == '1'
done = []

def run(statements, what):
    done.append(what)
    if not check:
        sql(';\n'.join(statements) + ';\n')

if os.environ.get('KIND') == 'db':
    name = os.environ['DB_NAME']
    if sql('SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s' % lit(name)).strip() == '0':
        run(['CREATE DATABASE %s CHARACTER SET %s COLLATE %s' % (ident(name), os.environ['DB_ENCODING'], os.environ['DB_COLLATION'])], 'created database ' + name)
else:
    name, host, password = os.environ['USER_NAME'], os.environ['USER_HOST'], os.environ['USER_PASSWORD']
    account = '%s@%s' % (lit(name), lit(host))
    want = {}
    for part in os.environ['USER_PRIV'].split('/'):
        obj, privs = part.rsplit(':', 1)
        want[obj.replace('`', '')] = {'ALL PRIVILEGES' if p.strip().upper() in ('ALL', 'ALL PRIVILEGES') else p.strip().upper() for p in privs.split(',')}
    row = sql('SELECT plugin, authentication_string, PASSWORD(%s) FROM mysql.user WHERE User = %s AND Host = %s' % (lit(password), lit(name), lit(host))).strip()
    have = {}
    if not row:
        run(['CREATE USER %s IDENTIFIED VIA mysql_native_password USING PASSWORD(%s)' % (account, lit(password))], 'created ' + name + '@' + host)
    else:
        plugin, auth, wanted_hash = row.split('\t')
        if plugin != 'mysql_native_password' or auth != wanted_hash:
            run(['ALTER USER %s IDENTIFIED VIA mysql_native_password USING PASSWORD(%s)' % (account, lit(password))], 'password of ' + name + '@' + host)
        for line in sql('SHOW GRANTS FOR %s' % account).splitlines():
            m = re.match(r'^GRANT (.+?) ON (\S+) TO ', line)
            if not m:
                continue
            privs = {p.strip() for p in m.group(1).split(',')} - {'USAGE'}
            if ' WITH GRANT OPTION' in line:
                privs.add('GRANT')
            if privs:
                have[m.group(2).replace('`', '')] = privs
    for obj in sorted(set(have) | set(want)):
        had, wanted = have.get(obj, set()), want.get(obj, set())
        if had == wanted:
            continue
        statements = []
        revoke_all = 'ALL PRIVILEGES' in had and 'ALL PRIVILEGES' not in wanted
        revoke = ['ALL PRIVILEGES'] if revoke_all else sorted(p for p in had if p != 'GRANT' and p not in wanted)
        if revoke:
            statements.append('REVOKE %s ON %s FROM %s' % (', '.join(revoke), obj_sql(obj), account))
        grant = sorted(p for p in wanted if p != 'GRANT' and (revoke_all or p not in had))
        if grant:
            statements.append('GRANT %s ON %s TO %s' % (', '.join(grant), obj_sql(obj), account))
        run(statements, 'privileges of %s@%s on %s' % (name, host, obj))
print('\n'.join(done))
