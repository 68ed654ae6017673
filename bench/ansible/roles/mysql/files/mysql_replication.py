# The twin's mysql_replication (community.mysql's is not builtin) for MariaDB, the modes the site's
# role uses: reads the server's replication state, and changes only what differs, as provision's module
# decides it (getreplica, getprimary, promote of a non-replica, rejoin, changeprimary, startreplica).
# Prints one JSON object: the state read, plus `changed` (in check mode: what would change).
import json, os, subprocess, sys

def sql(query):
    out = subprocess.run(['mysql', '--batch', '--raw'], input=query, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr.strip() or 'mysql failed')
    return out.stdout

def lit(s):
    return "'" + s.replace('\\', '\\\\').replace("'", "\\'") + "'"

def status():
    lines = sql('SHOW SLAVE STATUS\\G').splitlines()
    st = {}
    for line in lines:
        if ':' in line and not line.startswith('*'):
            k, v = line.split(':', 1)
            st[k.strip()] = v.strip()
    return st

def globals_():
    out = sql('SELECT @@read_only, @@gtid_slave_pos, @@gtid_binlog_pos, @@gtid_binlog_state, @@datadir').splitlines()[1].split('\t')
    return {'Read_Only': out[0] == '1', 'Gtid_Slave_Pos': out[1], 'Gtid_Binlog_Pos': out[2], 'Gtid_Binlog_State': out[3], 'datadir': out[4]}

mode = os.environ['MODE']
check = os.environ.get('CHECK') == '1'
st = status()
g = globals_()
result = dict(st, Is_Replica=bool(st), Is_Slave=bool(st), Gtid_Slave_Pos=g['Gtid_Slave_Pos'], Gtid_Binlog_Pos=g['Gtid_Binlog_Pos'], Gtid_Binlog_State=g['Gtid_Binlog_State'], Read_Only=g['Read_Only'], changed=False)
statements = []

def change_master():
    opts = ['MASTER_HOST=' + lit(os.environ['PRIMARY_HOST']), 'MASTER_USER=' + lit(os.environ['PRIMARY_USER']), 'MASTER_PASSWORD=' + lit(os.environ['PRIMARY_PASSWORD'])]
    if os.environ.get('PRIMARY_CONNECT_RETRY'):
        opts.append('MASTER_CONNECT_RETRY=' + os.environ['PRIMARY_CONNECT_RETRY'])
    opts.append('MASTER_USE_GTID=' + os.environ.get('PRIMARY_USE_GTID', 'slave_pos'))
    return 'CHANGE MASTER TO ' + ', '.join(opts)

def plan_change():
    try:
        stored = open(os.path.join(g['datadir'], 'master.info')).read().split('\n')[5]
    except (OSError, IndexError):
        stored = None
    differs = (st.get('Master_Host') != os.environ['PRIMARY_HOST'] or st.get('Master_User') != os.environ['PRIMARY_USER']
               or st.get('Using_Gtid', 'No').lower() != os.environ.get('PRIMARY_USE_GTID', 'slave_pos')
               or (os.environ.get('PRIMARY_CONNECT_RETRY') and st.get('Connect_Retry') != os.environ['PRIMARY_CONNECT_RETRY'])
               or stored != os.environ['PRIMARY_PASSWORD'])
    if differs:
        active = any(st.get(k, 'No') != 'No' for k in ('Slave_IO_Running', 'Slave_SQL_Running'))
        statements.extend((['STOP SLAVE'] if active else []) + [change_master()] + (['START SLAVE'] if active else []))

if mode == 'getprimary':
    logs = sql('SHOW BINARY LOGS').splitlines()[1:]
    start = ''
    if logs:
        for line in sql('SHOW BINLOG EVENTS IN %s LIMIT 4' % lit(logs[0].split('\t')[0])).splitlines()[1:]:
            cols = line.split('\t')
            if len(cols) > 5 and cols[2] == 'Gtid_list':
                start = cols[5].strip('[]')
    result['Binlog_Start_Gtid_Pos'] = start
elif mode == 'promote':
    if st:
        sys.exit('the twin promotes no replica: run playbooks/failover.yaml')
    if g['Read_Only']:
        statements.append('SET GLOBAL read_only = OFF')
elif mode == 'changeprimary':
    plan_change()
elif mode == 'rejoin':
    if st:
        plan_change()
    elif not g['Read_Only']:
        sys.exit('refusing to rejoin a writable server (read_only=OFF): fence it first')
    else:
        have = [tuple(map(int, x.split('-'))) for x in os.environ.get('PRIMARY_GTID_BINLOG_STATE', '').split(',') if x.strip()]
        errant = [x for x in g['Gtid_Binlog_Pos'].split(',') if x.strip() and not any(h[0] == int(x.split('-')[0]) and h[1] == int(x.split('-')[1]) and h[2] >= int(x.split('-')[2]) for h in have)]
        if errant:
            sys.exit('refusing to rejoin: errant GTIDs ' + ','.join(errant))
        statements.extend(['SET GLOBAL gtid_slave_pos = ' + lit(g['Gtid_Binlog_Pos']), change_master(), 'START SLAVE'])
elif mode == 'startreplica':
    if st and not (st.get('Slave_IO_Running') == 'Yes' and st.get('Slave_SQL_Running') == 'Yes'):
        statements.append('START SLAVE')
if statements:
    result['changed'] = True
    if not check:
        sql(';\n'.join(statements) + ';\n')
print(json.dumps(result))
