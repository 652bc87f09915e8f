#!/usr/bin/env bash
# backup_restore.t — docs/deploy.md section 9 ("Backups and the restore
# drill") run on a scratch cluster of the test's own (PAYGW_TEST_PORT_BASE
# + 45, the restored copy on + 46; the stack's PostgreSQL is not touched):
# the archiving settings, the pg_basebackup command and the drill's
# restore settings are read from the doc itself, with only the paths and
# the connection put in, so the doc cannot drift from what is tested.
#  1. a cluster with the doc's settings, the migrations applied with
#     scripts/migrate, merchants written before the base backup (A), after
#     it (B), a point in time, merchants after that point (C), a WAL switch;
#  2. the backup unpacked into a second data directory, the doc's
#     restore_command, recovery_target_time and the rest of its step 3,
#     recovery.signal, started on another port;
#  3. A and B there, C not; scripts/migrate applies nothing; the server
#     left recovery by itself and takes writes.
# Both clusters are stopped and removed on exit.
. "$(dirname "$0")/lib.sh"
PGBIN=${PAYGW_PGBIN:-/usr/lib/postgresql/15/bin}
PORT_A=$((${PAYGW_TEST_PORT_BASE:-10600} + 45)) PORT_B=$((${PAYGW_TEST_PORT_BASE:-10600} + 46))
DOC=$TEST_ROOT/docs/deploy.md
T=$(mktemp -d /tmp/paygw-backup-XXXXXX)
PRIMARY=$T/primary RESTORED=$T/restored ARCHIVE=$T/pgarchive BASEDIR=$T/pgbase
# initdb refuses root: under root the clusters are the stack's user's (scripts/stack)
if [[ $(id -u) -eq 0 ]]; then
  AS_USER=(setpriv --reuid=paygw --regid=paygw --init-groups --)
  chown paygw: "$T"
else
  AS_USER=()
fi
as_user() { (cd "$T" && "${AS_USER[@]}" "$@"); }
cleanup() {
  local d
  for d in "$RESTORED" "$PRIMARY"; do
    [[ -s $d/postmaster.pid ]] && as_user "$PGBIN/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
  done
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

uri() { echo "postgresql://postgres@127.0.0.1:$1/${2:-paygw}"; }
sql() { psql -X -q -tA -v ON_ERROR_STOP=1 "$(uri "$1")" -c "$2"; }
codes() { sql "$1" "SELECT string_agg(code, ' ' ORDER BY code) FROM gateway.merchants WHERE code LIKE '7%'"; }
add_merchants() {  # add_merchants PORT CODE...: one transaction per merchant
  local port=$1 c; shift
  for c in "$@"; do sql "$port" "INSERT INTO gateway.merchants (code, name, shop_name) VALUES ('$c', 'Backup $c', 'Shop $c')"; done
}

# --- what the doc says (section 9 only) ------------------------------------------
SECTION=$(sed -n '/^## 9\./,/^## 10\./p' "$DOC")
ARCHIVING=$(grep -E '^    (wal_level|archive_mode|archive_command|archive_timeout) =' <<<"$SECTION" | sed 's/^ *//; s/ *#.*//')
BASEBACKUP=$(grep -E '^ +sudo -u postgres pg_basebackup ' <<<"$SECTION" | sed 's/^ *sudo -u postgres //')
DRILL=$(sed -n '/restore drill\*\*/,$p' <<<"$SECTION" | tr '\n' ' ')
RESTORE_SETTINGS=$(grep -oE "(restore_command|recovery_target_time|recovery_target_action|archive_mode) = '?[^'\`]*'?" <<<"$DRILL")
is "doc: the four archiving settings" "$(cut -d' ' -f1 <<<"$ARCHIVING" | tr '\n' ' ')" "wal_level archive_mode archive_command archive_timeout "
like "doc: a pg_basebackup command" "$BASEBACKUP" '^pg_basebackup -D /srv/pgbase/[^ ]+ '
like "doc: the drill's restore_command reads the archive" "$RESTORE_SETTINGS" "restore_command = 'cp /srv/pgarchive/%f %p'"
like "doc: the drill names a recovery_target_time" "$RESTORE_SETTINGS" "recovery_target_time = '"
check "doc: names this test" grep -q 'tests/api/backup_restore.t' <<<"$SECTION"

# --- 1. the primary, with the doc's settings --------------------------------------
as_user mkdir -m 700 "$ARCHIVE" "$BASEDIR"
as_user "$PGBIN/initdb" -D "$PRIMARY" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$T/initdb.log" 2>&1
is "initdb" "$?" 0
{ echo "# --- backup_restore.t ---"
  echo "listen_addresses = '127.0.0.1'"
  echo "port = $PORT_A"
  echo "unix_socket_directories = '$T'"
  sed "s|/srv/pgarchive|$ARCHIVE|g" <<<"$ARCHIVING"
} | as_user tee -a "$PRIMARY/postgresql.conf" >/dev/null
as_user "$PGBIN/pg_ctl" -D "$PRIMARY" -l "$T/primary.log" -w -t 60 start >/dev/null
is "primary: started" "$?" 0
is "primary: archive_mode and archive_command as the doc says" \
  "$(psql -X -tA "$(uri "$PORT_A" postgres)" -c "SELECT current_setting('archive_mode') || ' ' || current_setting('archive_command')")" \
  "on test ! -f $ARCHIVE/%f && cp %p $ARCHIVE/%f"
# the database and roles as section 3 makes them, then the migrations
psql -X -q -v ON_ERROR_STOP=1 "$(uri "$PORT_A" postgres)" >/dev/null <<'SQL'
CREATE DATABASE paygw;
CREATE ROLE paygw_gateway LOGIN;
CREATE ROLE paygw_issuer  LOGIN;
CREATE ROLE paygw_shop    LOGIN;
CREATE ROLE paygw_history LOGIN;
REVOKE ALL ON DATABASE paygw FROM PUBLIC;
GRANT CONNECT ON DATABASE paygw TO paygw_gateway, paygw_issuer, paygw_shop, paygw_history;
SQL
out=$(PAYGW_PGURI=$(uri "$PORT_A") "$TEST_ROOT/scripts/migrate" 2>&1)
like "primary: scripts/migrate applied the migrations" "$out" "migrate: [1-9][0-9]* applied"

add_merchants "$PORT_A" 7001 7002 7003                   # A: in the base backup
# the doc's folder, /srv/pgbase/$(date +%F), is the test's
read -ra bb <<<"$(sed -E 's#/srv/pgbase/(\$\([^)]*\)|[^ ]+)#@BASE@#' <<<"$BASEBACKUP")"
bb=("${bb[@]/@BASE@/$BASEDIR/nightly}")
as_user "$PGBIN/${bb[0]}" "${bb[@]:1}" -d "$(uri "$PORT_A" postgres)" >"$T/basebackup.log" 2>&1
is "pg_basebackup as the doc writes it: exit 0" "$?" 0
check "... left base.tar.gz" test -s "$BASEDIR/nightly/base.tar.gz"
check "... and no WAL of its own (-X none: the archive holds it)" test ! -e "$BASEDIR/nightly/pg_wal.tar.gz"
add_merchants "$PORT_A" 7004 7005                        # B: only in the archived WAL
POINT=$(sql "$PORT_A" "SELECT clock_timestamp()")
add_merchants "$PORT_A" 7006 7007                        # C: after the point in time
is "primary: A, B and C written" "$(codes "$PORT_A")" "7001 7002 7003 7004 7005 7006 7007"
last=$(sql "$PORT_A" "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 60); do
  [[ $(sql "$PORT_A" "SELECT coalesce(last_archived_wal, '') >= '$last' FROM pg_stat_archiver") == t ]] && break
  sleep 0.5
done
check "primary: the segment holding C is archived" test -f "$ARCHIVE/$last"
as_user "$PGBIN/pg_ctl" -D "$PRIMARY" -m fast -w stop >/dev/null   # the drill never sees production

# --- 2. the drill: restore into a second data directory ---------------------------
as_user mkdir -m 700 "$RESTORED"
as_user tar xzf "$BASEDIR/nightly/base.tar.gz" -C "$RESTORED"
is "restore: the backup unpacked" "$(cat "$RESTORED/PG_VERSION" 2>/dev/null)" 15
{ echo "# --- backup_restore.t: the drill ---"
  echo "port = $PORT_B"
  sed -e "s|/srv/pgarchive|$ARCHIVE|g" -e "s|^recovery_target_time = .*|recovery_target_time = '$POINT'|" <<<"$RESTORE_SETTINGS"
} | as_user tee -a "$RESTORED/postgresql.conf" >/dev/null
as_user touch "$RESTORED/recovery.signal"
as_user "$PGBIN/pg_ctl" -D "$RESTORED" -l "$T/restored.log" -w -t 120 start >/dev/null
is "restore: started" "$?" 0
for _ in $(seq 1 60); do
  [[ $(sql "$PORT_B" "SELECT pg_is_in_recovery()" 2>/dev/null) == f ]] && break
  sleep 0.5
done

# --- 3. what the drill checks ------------------------------------------------------
is "restored: out of recovery by itself (opens read-write)" "$(sql "$PORT_B" "SELECT pg_is_in_recovery()")" f
check "restored: recovery.signal gone" test ! -e "$RESTORED/recovery.signal"
check "restored: stopped at the point in time" grep -q "recovery stopping before commit" "$T/restored.log"
is "restored: A and B there, C not" "$(codes "$PORT_B")" "7001 7002 7003 7004 7005"
is "restored: the newest merchant is from before the point" \
  "$(sql "$PORT_B" "SELECT max(created_at) <= '$POINT' FROM gateway.merchants")" t
out=$(PAYGW_PGURI=$(uri "$PORT_B") "$TEST_ROOT/scripts/migrate" 2>&1)
like "restored: scripts/migrate applies nothing" "$out" "migrate: 0 applied"
add_merchants "$PORT_B" 7008
is "restored: takes writes" "$(codes "$PORT_B")" "7001 7002 7003 7004 7005 7008"
check "restored: archived nothing into production's archive" \
  test -z "$(find "$ARCHIVE" -name '00000002*' -print -quit)"
if [[ $TESTS_FAILED -gt 0 ]]; then
  for f in basebackup.log primary.log restored.log; do echo "# --- $f"; sed 's/^/# /' "$T/$f" 2>/dev/null | tail -20; done
fi
done_testing
