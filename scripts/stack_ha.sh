# scripts/stack_ha.sh — sourced by scripts/stack: `scripts/stack start --ha`
# (or PAYGW_HA=1), the database as a pg_auto_failover formation (Debian's
# postgresql-15-auto-failover and pg-auto-failover-cli) instead of the
# single cluster: a monitor and two PostgreSQL nodes on loopback, each run
# by its own `pg_autoctl run` as the stack's unprivileged user, with
# synchronous replication while both nodes are up.  WORK IN PROGRESS
# (branch wt/ha, docs/ha.md): the formation starts and stops, the services
# connect to whichever node is primary; the gateway's handling of the
# switch is not finished.
#
# Ports, from the stack's PostgreSQL port P (PAYGW_PG_PORT):
#   node a  P      node b  P + 1      monitor  P + 2
# State: var/pg/ha/{monitor,a,b} (PGDATA), var/pg/ha/{config,share,run,home}
# (pg_autoctl's XDG folders: its configuration and state files), and
# var/pg/ha/pgpass, the passwords pg_autoctl's processes use (theirs, 0600).
# Logs: var/log/pg-{monitor,a,b}.log (pg_autoctl), and each PGDATA's log/.
#
# The timeouts that decide how long a failover takes (docs/ha.md, "Failover
# time") come from the environment at the formation's creation; the monitor's
# are set again at every start:
#   PAYGW_HA_HEALTH_CHECK_PERIOD_MS (1000)   PAYGW_HA_HEALTH_CHECK_TIMEOUT_MS (1000)
#   PAYGW_HA_HEALTH_CHECK_MAX_RETRIES (1)    PAYGW_HA_HEALTH_CHECK_RETRY_DELAY_MS (500)
#   PAYGW_HA_UNHEALTHY_TIMEOUT_MS (4000)     PAYGW_HA_PRIMARY_DEMOTE_TIMEOUT_MS (6000)
#   PAYGW_HA_NETWORK_PARTITION_TIMEOUT_S (3)  (the nodes' keepers: a primary that
#   sees neither the monitor nor its standby for this long stops itself)
# pgautofailover's defaults are 5000, 5000, 2, 2000, 20000, 30000 and 20:
# about 50 s from a primary host's death to the standby's promotion.

HA_PGAUTOCTL=${PAYGW_PGAUTOCTL:-/usr/bin/pg_autoctl}
HA_NODES=(a b)

HA_DIR() { echo "$VAR/pg/ha"; }
ha_pgdata() { echo "$VAR/pg/ha/$1"; }    # monitor | a | b
ha_port() {
  case $1 in
    a) echo "$PG_PORT" ;;
    b) echo $((PG_PORT + 1)) ;;
    monitor) echo $((PG_PORT + 2)) ;;
  esac
}

# pg_autoctl keeps its configuration and state under XDG_CONFIG_HOME and
# XDG_DATA_HOME (~/.config, ~/.local/share by default): the stack's user
# has no home, so they are folders of var/pg/ha; its passwords come from a
# password file of its own (never a command line, never its configuration
# file); and it sees nothing else of stack.env
ha_env() {
  local h; h=$(HA_DIR)
  HA_ENV=(env "${HIDE_ALWAYS[@]}" "${HIDE_ISSUER[@]}" "${HIDE_GATEWAY[@]}" "${HIDE_SHOP[@]}" -u PGHOST -u PGPORT
          XDG_CONFIG_HOME="$h/config" XDG_DATA_HOME="$h/share" XDG_RUNTIME_DIR="$h/run" HOME="$h/home"
          PGPASSFILE="$h/pgpass" PATH="$h/bin:$PATH" PGCONNECT_TIMEOUT=5)
}
as_ha() { ha_env; "${HA_ENV[@]}" "${AS_USER[@]}" "$@"; }
# a node's pg_autoctl connects to its PostgreSQL as PGUSER: the superuser
# postgres (the monitor's is the stack's user, over the socket by peer)
ha_user() { [[ $1 == monitor ]] || echo PGUSER=postgres; }
as_ha_node() { ha_env; "${HA_ENV[@]}" PGUSER=postgres "${AS_USER[@]}" "$@"; }

ha_monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$(ha_port monitor)/pg_auto_failover?sslmode=disable"; }
# the monitor's database as the superuser (the scripts' own password file)
ha_monitor_super_uri() { echo "postgresql://postgres@127.0.0.1:$(ha_port monitor)/pg_auto_failover"; }
psql_monitor() { PGPASSFILE=$(PGPASS_FILE) PGCONNECT_TIMEOUT=5 psql -X -q -v ON_ERROR_STOP=1 "$(ha_monitor_super_uri)" "$@"; }

# pg_autoctl starts PostgreSQL itself, as <the folder of --pgctl>/postgres,
# and initdb's the monitor itself: that monitor would put its socket in
# Debian's /var/run/postgresql, which the stack's user may not write.  So
# pg_autoctl gets a folder of its own: PostgreSQL 15's programs, each a
# link, but postgres, which is started with the stack's socket folder.
ha_bin() {
  local b; b=$(HA_DIR)/bin
  HA_PGCTL=$b/pg_ctl
  [[ -x $b/postgres && -L $b/pg_ctl ]] && return 0
  mkdir -p "$b"
  local f; for f in "$PGBIN"/*; do ln -sfn "$f" "$b/"; done
  rm -f "$b/postgres"
  printf '#!/bin/sh\n# scripts/stack_ha.sh: the stack'"'"'s sockets are in its own folder\nexec %s -k %s "$@"\n' \
    "$PGBIN/postgres" "$VAR/run" >"$b/postgres"
  chmod 755 "$b/postgres"
}

# The settings that must win over pg_autoctl's (its postgresql-auto-failover.conf,
# included at the end of postgresql.conf, sizes shared_buffers to a quarter
# of the machine's memory for each member and listens on '*'): a file of
# ours included after it.
ha_override_settings() {  # ha_override_settings PGDATA SHARED-BUFFERS
  printf "# scripts/stack_ha.sh: after pg_autoctl's settings\nlisten_addresses = '127.0.0.1'\nshared_buffers = %s\n" \
    "$2" >"$1/paygw_ha.conf"
  grep -qx "include_if_exists = 'paygw_ha.conf'" "$1/postgresql.conf" \
    || echo "include_if_exists = 'paygw_ha.conf'" >>"$1/postgresql.conf"
  [[ $(id -u) -eq 0 ]] && chown "$RUN_USER:" "$1/paygw_ha.conf"
  return 0
}

# --- what scripts/stack does differently in HA mode ---------------------------

# Both nodes, in one libpq URI: libpq tries them in order and keeps the one
# that takes writes (target_session_attrs=read-write); connect_timeout
# bounds the wait on a host that does not answer (a dead host on a real
# network; on loopback a dead port is refused at once).  HA_URI_TCP: a
# primary whose host vanishes under an open connection is given up after
# about 11 s idle (keepalives: 5 s, then 3 probes 2 s apart) or 9 s with a
# statement unacknowledged (tcp_user_timeout, ms), not TCP's 15 minutes;
# libpq applies them to TCP only (the roles' socket URIs keep them for a
# host=db1,db2 copy, docs/deploy.md section 5).
HA_URI_TCP='keepalives=1&keepalives_idle=5&keepalives_interval=2&keepalives_count=3&tcp_user_timeout=9000'
ha_superuser_uri() {
  echo "postgresql://postgres@127.0.0.1:$(ha_port a),127.0.0.1:$(ha_port b)/${1:-$DB}?target_session_attrs=read-write&connect_timeout=2&$HA_URI_TCP"
}
ha_role_uri() {
  echo "postgresql://$1:$(secret "$1")@/$DB?host=$VAR/run,$VAR/run&port=$(ha_port a),$(ha_port b)&target_session_attrs=read-write&connect_timeout=2&$HA_URI_TCP"
}
ha_write_pgpass() {
  local pw; pw=$(secret postgres)
  (umask 077
   { echo "127.0.0.1:$(ha_port a):*:postgres:$pw"
     echo "127.0.0.1:$(ha_port b):*:postgres:$pw"
     echo "127.0.0.1:$(ha_port monitor):*:postgres:$pw"; } >"$(PGPASS_FILE)")
  export PGPASSFILE; PGPASSFILE=$(PGPASS_FILE)
}

# pg_autoctl's own password file: the superuser's (pg_autoctl manages its
# local PostgreSQL as postgres, over the socket: host the socket folder's
# path in a password file, which names only the default folder
# "localhost"), the monitor's autoctl_node's (the keepers' node_active
# calls) and the replication role's (pg_basebackup, then the standby's
# walreceiver, which inherits PGPASSFILE from pg_autoctl).  The stack's
# user owns the data folders already, so these passwords give it nothing
# it could not take.
ha_write_keeper_pgpass() {
  local f; f=$(HA_DIR)/pgpass
  (umask 077
   { echo "$VAR/run:*:*:postgres:$(secret postgres)"
     echo "127.0.0.1:*:*:postgres:$(secret postgres)"
     echo "127.0.0.1:$(ha_port monitor):pg_auto_failover:autoctl_node:$(secret pgaf_autoctl_node)"
     echo "127.0.0.1:*:*:pgautofailover_replicator:$(secret pgaf_replicator)"; } >"$f")
  [[ $(id -u) -eq 0 ]] && chown "$RUN_USER:" "$f"
  return 0
}

# initdb as the stack's user, as init_postgres does for the single cluster
# (scram-sha-256 everywhere, the superuser postgres with the stack's
# password) and the same settings, for node a; pg_autoctl then takes the
# cluster over ("create postgres" accepts an existing PGDATA) and
# adds its own include file (postgresql-auto-failover.conf).
ha_initdb() {  # ha_initdb NAME
  local data; data=$(ha_pgdata "$1")
  local pwcopy="$VAR/pg/initdb.pw"
  (umask 077; secret postgres >"$pwcopy")
  [[ $(id -u) -eq 0 ]] && chown "$RUN_USER:" "$pwcopy"
  as_user "$PGBIN/initdb" -D "$data" -U postgres --pwfile="$pwcopy" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$VAR/log/initdb-$1.log" 2>&1 \
    || { rm -f "$pwcopy"; die "initdb of $1 failed, see $VAR/log/initdb-$1.log"; }
  rm -f "$pwcopy"
  write_pg_settings "$data"
}

# `pg_autoctl run` for one member, in the background like the stack's other
# services; its pid in run/pg-NAME.pid
ha_run() {  # ha_run NAME
  local name=$1 data; data=$(ha_pgdata "$1")
  if pid_of "pg-$name" pg_autoctl >/dev/null; then return 0; fi
  (exec "${HA_ENV[@]}" $(ha_user "$name") "${AS_USER[@]}" setsid "$HA_PGAUTOCTL" run --pgdata "$data" \
    </dev/null >>"$VAR/log/pg-$name.log" 2>&1) &
  record_pid "pg-$name" $!
}

ha_wait_for() {  # ha_wait_for SECONDS WHAT COMMAND...: until COMMAND succeeds
  local n=$1 what=$2 i; shift 2
  for ((i = 0; i < n * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "$what did not happen within $n s; see $VAR/log/pg-*.log"
}

ha_node_state() {  # ha_node_state NAME → the monitor's "reported/goal" for node-NAME
  psql_monitor -tAc "SELECT reportedstate || '/' || goalstate FROM pgautofailover.node WHERE nodename = 'node-$1'"
}
ha_node_is() { [[ $(ha_node_state "$1") == "$2/$2" ]]; }
ha_accepts() { PGPASSFILE=$(PGPASS_FILE) PGCONNECT_TIMEOUT=2 psql -X -q -tAc "SELECT 1" "$(ha_superuser_uri postgres)" | grep -qx 1; }

# the monitor's timeouts (docs/ha.md): set with ALTER SYSTEM on every
# start, so the environment of the last start is what runs
ha_tune_monitor() {
  local g v
  for g in health_check_period:${PAYGW_HA_HEALTH_CHECK_PERIOD_MS:-1000} \
           health_check_timeout:${PAYGW_HA_HEALTH_CHECK_TIMEOUT_MS:-1000} \
           health_check_max_retries:${PAYGW_HA_HEALTH_CHECK_MAX_RETRIES:-1} \
           health_check_retry_delay:${PAYGW_HA_HEALTH_CHECK_RETRY_DELAY_MS:-500} \
           node_considered_unhealthy_timeout:${PAYGW_HA_UNHEALTHY_TIMEOUT_MS:-4000} \
           primary_demote_timeout:${PAYGW_HA_PRIMARY_DEMOTE_TIMEOUT_MS:-6000}; do
    v=${g#*:}
    [[ $v =~ ^[0-9]+$ ]] || die "pgautofailover.${g%%:*}: not a number: $v"
    psql_monitor -c "ALTER SYSTEM SET pgautofailover.${g%%:*} = $v"
  done
  psql_monitor -tAc "SELECT pg_reload_conf()" >/dev/null
}

# `pg_autoctl create monitor` runs its own initdb (version 2.0 takes no
# existing PGDATA for a monitor): its superuser is the stack's user, and its
# pg_hba.conf trusts every local connection.  Once created: peer for the
# socket (the stack's user, pg_autoctl's own connections), scram-sha-256
# for TCP, where the superuser postgres gets the stack's password
# (ha_monitor_roles, once it runs), and the stack's settings.
ha_create_monitor() {
  local data port; data=$(ha_pgdata monitor); port=$(ha_port monitor)
  [[ -e $(HA_DIR)/monitor.created ]] && return 0
  rm -rf "$data"   # a creation that failed half-way
  say "creating the pg_auto_failover monitor in $data (port $port)"
  as_ha "$HA_PGAUTOCTL" create monitor --pgdata "$data" --pgport "$port" --pgctl "$HA_PGCTL" \
    --hostname 127.0.0.1 --auth scram-sha-256 --no-ssl >>"$VAR/log/pg-monitor.log" 2>&1 \
    || die "pg_autoctl create monitor failed, see $VAR/log/pg-monitor.log"
  sed -i -E -e 's/^(local[[:space:]].*[[:space:]])trust$/\1peer/' \
            -e 's/^(host[[:space:]].*[[:space:]])trust$/\1scram-sha-256/' "$data/pg_hba.conf"
  grep -qE '^[^#].*[[:space:]]trust$' "$data/pg_hba.conf" && die "the monitor's pg_hba.conf still trusts a connection"
  ha_override_settings "$data" 128MB
  # pg_autoctl starts it with -h from its configuration, which beats postgresql.conf
  as_ha "$HA_PGAUTOCTL" config set --pgdata "$data" postgresql.listen_addresses 127.0.0.1 >>"$VAR/log/pg-monitor.log" 2>&1 \
    || die "cannot set the monitor's listen_addresses, see $VAR/log/pg-monitor.log"
  touch "$(HA_DIR)/monitor.created"
}

# the superuser postgres on the monitor, with the stack's password, made
# over the socket as the stack's user (peer)
ha_monitor_roles() {
  { printf '\\set pw %s\n' "$(secret postgres)"
    cat <<'SQL'
SELECT 'CREATE ROLE postgres SUPERUSER LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'postgres') \gexec
SELECT format('ALTER ROLE postgres PASSWORD %L', :'pw') \gexec
SQL
  } | as_ha psql -X -q -v ON_ERROR_STOP=1 "host=$VAR/run port=$(ha_port monitor) dbname=pg_auto_failover" >/dev/null
}

ha_create_node() {  # ha_create_node NAME: node a from its own initdb, node b from a's base backup
  local name=$1 data; data=$(ha_pgdata "$1")
  [[ -e $(HA_DIR)/$name.created ]] && return 0
  # node a of a new formation from initdb; a node made again after a
  # db-drop-node (the other one lives) from a base backup, as node b
  [[ $name == a && ! -s $data/PG_VERSION && ! -e $(HA_DIR)/b.created ]] && ha_initdb a
  say "creating PostgreSQL node $name in $data (port $(ha_port "$name"))"
  as_ha_node "$HA_PGAUTOCTL" create postgres --pgdata "$data" --pgport "$(ha_port "$name")" --pgctl "$HA_PGCTL" \
    --pghost "$VAR/run" --listen 127.0.0.1 --hostname 127.0.0.1 --name "node-$name" \
    --username postgres --dbname "$DB" --monitor "$(ha_monitor_uri)" \
    --auth scram-sha-256 --no-ssl >>"$VAR/log/pg-$name.log" 2>&1 \
    || die "pg_autoctl create postgres ($name) failed, see $VAR/log/pg-$name.log"
  as_ha_node "$HA_PGAUTOCTL" config set --pgdata "$data" timeout.network_partition_timeout \
    "${PAYGW_HA_NETWORK_PARTITION_TIMEOUT_S:-3}" >>"$VAR/log/pg-$name.log" 2>&1
  ha_override_settings "$data" 256MB
  # pg_autoctl run starts it again, with the settings above
  as_ha_node "$HA_PGCTL" -D "$data" status >/dev/null 2>&1 && as_ha_node "$HA_PGCTL" -D "$data" -m fast -w stop >/dev/null
  touch "$(HA_DIR)/$name.created"
}

# the role passwords pg_autoctl leaves to us (docs/security.rst of
# pg_auto_failover: "pg_autoctl does not set the password for you")
ha_set_password() {  # ha_set_password URI ROLE SECRET-NAME
  { printf '\\set role %s\n\\set pw %s\n' "$2" "$(secret "$3")"
    echo "SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'pw') \\gexec"; } \
    | PGCONNECT_TIMEOUT=5 psql -X -q -v ON_ERROR_STOP=1 "$1" >/dev/null
}

# The formation, created once and started: the monitor, node a (the first
# primary), node b (a standby from a's base backup), until the monitor says
# primary and secondary.
ha_start_formation() {
  ha_refuse_other_port
  [[ -s $VAR/pg/data/PG_VERSION ]] && as_user "$PGBIN/pg_ctl" -D "$VAR/pg/data" status >/dev/null 2>&1 \
    && die "the single cluster of $VAR/pg/data runs on port $PG_PORT: scripts/stack stop first"
  mkdir -p "$(HA_DIR)"/{config,share,run,home}
  chmod 700 "$(HA_DIR)"
  [[ $(id -u) -eq 0 ]] && chown -R "$RUN_USER:" "$(HA_DIR)"
  secret pgaf_autoctl_node >/dev/null; secret pgaf_replicator >/dev/null
  ha_write_pgpass
  ha_write_keeper_pgpass
  ha_env
  ha_bin
  [[ $(id -u) -eq 0 ]] && chown -R "$RUN_USER:" "$(HA_DIR)"
  echo on >"$VAR/run/ha"
  ha_create_monitor
  ha_run monitor
  ha_wait_for 60 "the monitor's start" as_ha psql -X -q -tAc "SELECT 1" "host=$VAR/run port=$(ha_port monitor) dbname=pg_auto_failover"
  ha_monitor_roles
  ha_set_password "$(ha_monitor_super_uri)" autoctl_node pgaf_autoctl_node
  ha_tune_monitor
  if [[ -e $(HA_DIR)/a.created && -e $(HA_DIR)/b.created ]]; then
    # a formation made before: both nodes at once, or the monitor, seeing
    # one node come back without the other, may fail over to it meanwhile
    ha_run a
    ha_run b
    # the monitor still shows the states of before the stop at first:
    # a node that takes writes is what tells the formation is back
    ha_wait_for 120 "a node that takes writes" ha_accepts
    ha_wait_for 120 "a primary and a secondary" ha_formation_ready
    say "pg_auto_failover formation: $(ha_summary)"
    return 0
  fi
  local survivor=""
  [[ -e $(HA_DIR)/a.created ]] && survivor=a
  [[ -e $(HA_DIR)/b.created ]] && survivor=b
  if [[ -n $survivor ]]; then
    # one node dropped (db-drop-node, its host lost for good): the other
    # runs on, and the dropped one is made again, a standby from its base backup
    local new=a; [[ $survivor == a ]] && new=b
    ha_run "$survivor"
    ha_wait_for 120 "a node that takes writes" ha_accepts
    ha_create_node "$new"
    ha_run "$new"
    ha_wait_for 300 "a primary and a secondary" ha_formation_ready
    say "pg_auto_failover formation: $(ha_summary)"
    return 0
  fi
  ha_create_node a
  ha_run a
  ha_wait_for 60 "node a's start" ha_accepts
  # the replication role exists once node a is a primary (single)
  ha_set_password "$(ha_superuser_uri postgres)" pgautofailover_replicator pgaf_replicator
  ha_create_node b
  ha_run b
  ha_wait_for 120 "a primary and a secondary" ha_formation_ready
  say "pg_auto_failover formation: $(ha_summary)"
}
ha_formation_ready() {
  local s; s=$(psql_monitor -tAc "SELECT string_agg(reportedstate || '/' || goalstate, ' ' ORDER BY reportedstate) FROM pgautofailover.node")
  [[ $s == "primary/primary secondary/secondary" ]]
}
ha_summary() {
  psql_monitor -tAc "SELECT string_agg(nodename || ' :' || nodeport || ' ' || reportedstate, ', ' ORDER BY nodename) FROM pgautofailover.node"
}

# Stops the standby first, then the primary, then the monitor: a primary
# stopped while its standby runs would be failed over by the monitor.
# `stop` forgets the HA mode too (run/ha); `db-stop` keeps it, so `db-start`
# starts the formation again.
ha_stop_formation() {
  ha_stop_members
  rm -f "$VAR/run/ha"
}
ha_stop_members() {
  [[ -d $(HA_DIR) ]] || return 0
  ha_env
  local name order=() first=()
  for name in "${HA_NODES[@]}"; do
    if [[ $(PGPASSFILE=$(PGPASS_FILE) PGCONNECT_TIMEOUT=2 psql -X -q -tAc "SELECT pg_is_in_recovery()" \
            "postgresql://postgres@127.0.0.1:$(ha_port "$name")/postgres" 2>/dev/null) == t ]]; then
      first+=("$name")
    else
      order+=("$name")
    fi
  done
  for name in "${first[@]}" "${order[@]}" monitor; do
    ha_stop_member "$name"
  done
}
ha_stop_member() {  # ha_stop_member NAME
  local pid i
  pid=$(pid_of "pg-$1" pg_autoctl) || { rm -f "$VAR/run/pg-$1".{pid,started}; return 0; }
  "${HA_ENV[@]}" $(ha_user "$1") "${AS_USER[@]}" "$HA_PGAUTOCTL" stop --pgdata "$(ha_pgdata "$1")" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null
  for i in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$VAR/run/pg-$1".{pid,started}
  say "stopped pg_autoctl $1 ($pid)"
}

# any pg_autoctl of this formation running (a keeper killed alone leaves
# its PostgreSQL to the next start: pg_autoctl run takes it over)
ha_running() {
  local name
  for name in monitor "${HA_NODES[@]}"; do pid_of "pg-$name" pg_autoctl >/dev/null && return 0; done
  return 1
}

# The port node a was created on (its pg_autoctl.cfg), empty if none was: a
# formation keeps its ports, which pg_autoctl wrote in every member's
# configuration and the monitor in its node table.
ha_created_port() {
  local cfg; cfg=$(HA_DIR)/config/pg_autoctl$(ha_pgdata a)/pg_autoctl.cfg
  [[ -r $cfg ]] && sed -n 's/^port = \([0-9]*\)$/\1/p' "$cfg" | head -1
  return 0
}
ha_refuse_other_port() {
  local made; made=$(ha_created_port)
  [[ -z $made || $made == "$PG_PORT" ]] && return 0
  die "the formation in $(HA_DIR) was made on ports $made-$((made + 2)), not $PG_PORT: start it with PAYGW_PG_PORT=$made (a formation does not move; scripts/stack stop and remove $(HA_DIR) for a new one)"
}

# A node lost for good (its host, its disk): `db-drop-node NAME` has the
# monitor forget it and removes its files; the next `db-start` makes it
# again, a new standby from the primary's base backup (docs/ha.md, "Adding
# the old primary back").  Never the primary, never a node still running.
ha_drop_node() {  # ha_drop_node NAME
  local name=$1 goal
  [[ $name == a || $name == b ]] || die "usage: scripts/stack db-drop-node a|b"
  [[ -e $(HA_DIR)/$name.created ]] || die "node $name is not part of the formation in $(HA_DIR)"
  pid_of "pg-$name" pg_autoctl >/dev/null && die "node $name's pg_autoctl runs: a node is dropped once lost (stop or kill it first)"
  ha_env
  goal=$(psql_monitor -tAc "SELECT goalstate FROM pgautofailover.node WHERE nodename = 'node-$name'") \
    || die "the monitor does not answer: scripts/stack db-start first (the other node with it)"
  [[ $goal == primary || $goal == wait_primary || $goal == single ]] \
    && die "node $name is the primary (goal $goal): wait for the failover first"
  if [[ -n $goal ]]; then
    # --force: the node is gone, the monitor cannot wait for it to agree
    as_ha "$HA_PGAUTOCTL" drop node --monitor "$(ha_monitor_uri)" --formation default --name "node-$name" --force \
      >>"$VAR/log/pg-$name.log" 2>&1 || die "pg_autoctl drop node (node-$name) failed, see $VAR/log/pg-$name.log"
  fi
  rm -rf "$(ha_pgdata "$name")" "$(HA_DIR)/config/pg_autoctl$(ha_pgdata "$name")" "$(HA_DIR)/share/pg_autoctl$(ha_pgdata "$name")"
  rm -f "$(HA_DIR)/$name.created" "$VAR/run/pg-$name".{pid,started}
  say "node $name dropped from the formation; scripts/stack db-start makes it again from a base backup"
}

ha_status() {
  local name ok=0
  for name in monitor "${HA_NODES[@]}"; do
    show "pg-$name" pg_autoctl || ok=1
  done
  ha_env
  printf '  %-14s %s\n' formation "$(ha_summary 2>/dev/null || echo "monitor unreachable")"
  return $ok
}

# stack.env's keys of the formation (PAYGW_HA_MONITOR_URI is the
# superuser's: hidden from every service, like PAYGW_PGURI)
ha_env_keys() {
  cat <<ENV
PAYGW_HA='1'
PAYGW_HA_MONITOR_URI='$(ha_monitor_super_uri)'
PAYGW_HA_NODE_PORTS='$(ha_port a) $(ha_port b)'
PAYGW_HA_PGDATA='$(ha_pgdata a) $(ha_pgdata b)'
ENV
}

# Switches scripts/stack to the formation: its URIs, its password file,
# and the formation in place of the single cluster.
ha_mode() {
  superuser_uri() { ha_superuser_uri "$@"; }
  role_uri() { ha_role_uri "$@"; }
  write_pgpass() { ha_write_pgpass; }
  init_postgres() { :; }
  start_postgres() { ha_start_formation; }
}
