#!/usr/bin/env bash
# systemd_verify.t — the units of conf/systemd/ as `make install` fills them
# for ./configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var
# (the same conf/systemd/fill): `systemd-analyze verify` finds nothing to
# say about any of them, in a generated root (--root) that holds the host's
# own units plus a stand-in executable at every path an Exec line names, so
# a unit that names a program the install does not put there fails.  Also:
# each service keeps the hardening docs/systemd.md promises, runs as its own
# sysusers.d user, and the logrotate file parses.  No build needed.
. "$(dirname "$0")/lib.sh"

command -v systemd-analyze >/dev/null || { not_ok "systemd-analyze is installed (package systemd)"; done_testing; }
ROOT_DIR=$(mktemp -d)
trap 'rm -rf "$ROOT_DIR"' EXIT
UNITS=$ROOT_DIR/usr/lib/systemd/system
LIBEXEC=/usr/libexec/paygw
mkdir -p "$UNITS" "$ROOT_DIR$LIBEXEC" "$ROOT_DIR/usr/bin" "$ROOT_DIR/etc/paygw"
cp -a /usr/lib/systemd/system/. "$UNITS/"    # sysinit.target and the rest a unit's defaults pull in
ln -s usr/bin "$ROOT_DIR/bin"
fill() { sh conf/systemd/fill pkglibexecdir=$LIBEXEC bindir=/usr/bin sysconfdir=/etc localstatedir=/var \
  docdir=/usr/share/doc/paygw pkgdatadir=/usr/share/paygw MULTIWATCH=/usr/bin/multiwatch <"$1"; }
stub() { printf '#!/bin/sh\nexit 0\n' >"$ROOT_DIR$1"; chmod 755 "$ROOT_DIR$1"; }

mapfile -t sources < <(ls conf/systemd/*.service.in conf/systemd/*.socket.in conf/systemd/*.target.in)
check "every unit of the contract is there (10)" test "${#sources[@]}" -eq 10
units=()
for src in "${sources[@]}"; do
  u=$(basename "$src" .in)
  fill "$src" >"$UNITS/$u"
  units+=("$u")
done
# the daemons where the install puts them (docs/install.md), and the tools the units call
for b in paygw.fcgi paygw-sweeper paygw-webhooks credit-server shop.fcgi history.fcgi; do stub "$LIBEXEC/$b"; done
stub /usr/bin/multiwatch
stub /usr/bin/kill
verify() { (cd "$UNITS" && systemd-analyze verify --root="$ROOT_DIR" "$@" 2>&1); }

out=$(verify "${units[@]}"); rc=$?
is "systemd-analyze verify: exit 0 on every unit" "$rc" 0
is "systemd-analyze verify: nothing to say (no warning)" "$out" ""
left=$(grep -l '@[a-zA-Z_]*@' "$UNITS"/paygw* || true)
is "no @variable@ left unfilled" "$left" ""

# the check sees what it is for: a missing program, an unknown key, a
# specifier systemd 252 does not know (so %d, which passes, is known)
rm "$ROOT_DIR$LIBEXEC/paygw-webhooks"
out=$(verify paygw-webhooks.service)
check "a unit whose program is not installed is refused" grep -q "paygw-webhooks is not executable" <<<"$out"
stub "$LIBEXEC/paygw-webhooks"
sed 's/^PrivateTmp=yes/PrivateTmp=yes\nProtectEverything=yes/; s|%d/card.keys|%Q/card.keys|' \
  "$UNITS/paygw-gateway.service" >"$UNITS/paygw-broken.service"
out=$(verify paygw-broken.service)
check "an unknown key is reported" grep -q "Unknown key 'ProtectEverything'" <<<"$out"
check "an unknown specifier is reported (and %d is not)" bash -c 'grep -q "Failed to resolve specifiers in PAYGW_CARD_KEY_FILE=%Q" <<<"$1" && ! grep -q "%d" <<<"$1"' _ "$out"
rm "$UNITS/paygw-broken.service"

# what every service promises (docs/systemd.md, "Hardening")
users=$(awk '$1 == "u" { print $2 }' conf/systemd/sysusers.d/paygw.conf.in | sort)
declare -A conf_of=([gateway]=gateway [sweeper]=sweeper [webhooks]=webhooks [credit-server]=credit-server [shop]=shop [history]=history)
seen_users=()
for svc in "${!conf_of[@]}"; do
  f=$UNITS/paygw-$svc.service
  missing=()
  for line in "NoNewPrivileges=yes" "ProtectSystem=strict" "PrivateTmp=yes" "ProtectHome=yes" "CapabilityBoundingSet=" \
    "Restart=on-failure" "EnvironmentFile=/etc/paygw/${conf_of[$svc]}.conf" "SystemCallFilter=@system-service" \
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" "ExecReload=/bin/kill -"; do
    grep -qxF -- "$line" "$f" || grep -q "^${line}" "$f" || missing+=("$line")
  done
  is "paygw-$svc.service keeps the hardening" "${missing[*]}" ""
  user=$(sed -n 's/^User=//p' "$f")
  check "paygw-$svc.service runs as its own sysusers.d user ($user)" grep -qx "$user" <<<"$users"
  seen_users+=("$user")
  # keys only through LoadCredential: no unit points a program at /etc/paygw/keys itself
  check "paygw-$svc.service hands keys over with LoadCredential= only" \
    bash -c '! grep "^Environment=.*/etc/paygw/keys" "$1"' _ "$f"
done
is "six services, six different users" "$(printf '%s\n' "${seen_users[@]}" | sort -u | wc -l)" 6
for s in gateway shop history; do
  f=$UNITS/paygw-$s.socket
  check "paygw-$s.socket: /run/paygw/$s.sock, 0660 root:www-data (nginx connects)" \
    bash -c 'grep -qx "ListenStream=/run/paygw/$2.sock" "$1" && grep -qx "SocketGroup=www-data" "$1" && grep -qx "SocketMode=0660" "$1"' _ "$f" "$s"
  check "paygw-$s.service takes the socket on standard input, logs to the journal" \
    bash -c 'grep -qx "StandardInput=socket" "$1" && grep -qx "StandardOutput=journal" "$1"' _ "$UNITS/paygw-$s.service"
done
# multiwatch takes SIGHUP as "shut down": its services reload with SIGUSR2
check "no unit sends SIGHUP to multiwatch" \
  bash -c '! grep -l "^ExecStart=/usr/bin/multiwatch" "$1"/paygw-*.service | xargs grep -l "kill -HUP"' _ "$UNITS"

# the logrotate file parses and covers the services' log directories
if command -v logrotate >/dev/null; then
  fill conf/logrotate/paygw.in >"$ROOT_DIR/logrotate.conf"
  mkdir -p "$ROOT_DIR/var/log/paygw/gateway"
  sed -i "s|^/var/log|$ROOT_DIR/var/log|" "$ROOT_DIR/logrotate.conf"
  : >"$ROOT_DIR/var/log/paygw/gateway/gateway.log"
  out=$(logrotate -d -s "$ROOT_DIR/state" "$ROOT_DIR/logrotate.conf" 2>&1); rc=$?
  is "logrotate -d accepts conf/logrotate/paygw" "$rc" 0
  check "logrotate sees the gateway's log" grep -q "considering log $ROOT_DIR/var/log/paygw/gateway/gateway.log" <<<"$out"
else
  not_ok "logrotate is installed (scripts/deps)"
fi
done_testing
