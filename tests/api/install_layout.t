#!/usr/bin/env bash
# install_layout.t — `make install DESTDIR=...` from the build the check
# made (docs/install.md): every program where the layout puts it and
# executable, the migrations, templates, static files and nginx pieces the
# same as the source tree's, the example configuration 0640 (never
# world-readable) naming every variable its program reads, the keys folder
# 0700, no path of the build tree in an installed file (the debugging
# sections aside: they are stripped), a reinstall keeping an operator's
# edited file, `make uninstall` keeping it too; the installed paygw-migrate
# finding its migrations and its URI (admin.conf), and the installed
# `paygw-admin keys generate` making key files 0600 that `keys rotate` and
# openssl read.  The folders are the build's own (configured by
# scripts/build: prefix /usr/local), read from its Makefile.
. "$(dirname "$0")/lib.sh"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
D=$TMP/root
B=$TEST_ROOT

# dir NAME → the build's value of the make variable NAME, fully expanded
printf 'print-%%:\n\t@echo $($*)\n' >"$TMP/print.mk"
dir() { make -s --no-print-directory -C "$B" -f Makefile -f "$TMP/print.mk" "print-$1"; }
bindir=$(dir bindir) pkglibexecdir=$(dir pkglibexecdir) pkgdatadir=$(dir pkgdatadir)
confdir=$(dir sysconfdir)/paygw statedir=$(dir localstatedir)/lib/paygw
check "the build's folders are known ($bindir, $pkglibexecdir, $pkgdatadir, $confdir)" \
  test -n "$bindir" -a -n "$pkglibexecdir" -a -n "$pkgdatadir" -a "$confdir" != /paygw

make -s -C "$B" install DESTDIR="$D" >"$TMP/install.out" 2>&1
rc=$?
is "make install DESTDIR=...: exit status 0" "$rc" 0
((rc == 0)) || sed 's/^/# /' "$TMP/install.out" | tail -20

# --- programs -------------------------------------------------------------------
for p in paygw.fcgi paygw-sweeper paygw-webhooks shop.fcgi history.fcgi credit-server; do
  check "daemon $p in \$(pkglibexecdir), executable" test -f "$D$pkglibexecdir/$p" -a -x "$D$pkglibexecdir/$p"
  check "daemon $p not in \$(bindir)" test ! -e "$D$bindir/$p"
done
for p in pos handset paygw-admin paygw-migrate; do
  check "command $p in \$(bindir), executable" test -f "$D$bindir/$p" -a -x "$D$bindir/$p"
done
is "nothing else in \$(bindir)" "$(ls "$D$bindir" | sort | paste -sd' ')" "handset paygw-admin paygw-migrate pos"

# --- data: the same files as the source tree ---------------------------------
# same_tree SRC DEST [NAME]: the same files (named NAME, a find pattern) below
# both, each the same; the source folder's local.mk is no data
same_tree() {
  local name=${3:-*}
  diff <(cd "$1" && find . -type f -name "$name" ! -name local.mk | sort) \
    <(cd "$2" && find . -type f | sort) >/dev/null || return 1
  (cd "$1" && find . -type f -name "$name" ! -name local.mk ! -exec cmp -s {} "$2/{}" \; -print | grep -q .) && return 1
  return 0
}
check "migrations: \$(pkgdatadir)/sql holds every sql/NNNN_*.sql (sql/local.mk lists them all)" \
  same_tree "$B/sql" "$D$pkgdatadir/sql" '[0-9][0-9][0-9][0-9]_*.sql'
check "shop templates in \$(pkgdatadir)/templates/shop" same_tree "$B/cgi/shop/templates" "$D$pkgdatadir/templates/shop"
check "history templates in \$(pkgdatadir)/templates/history" \
  same_tree "$B/cgi/history/templates" "$D$pkgdatadir/templates/history"
docdir=$(dir docdir)
check "the OpenAPI document in \$(docdir)" cmp -s "$B/docs/openapi.yaml" "$D$docdir/openapi.yaml"
check "every page a unit's Documentation= names is in \$(docdir)" bash -c '
  for u in "$1"/conf/systemd/*.in; do
    for p in $(grep -oE "@docdir@/[a-z-]+\.md" "$u" | sed "s|@docdir@/||"); do [[ -f $2/$p ]] || { echo "$u: $p" >&2; exit 1; }; done
  done' _ "$B" "$D$docdir"
check "static files: \$(pkgdatadir)/www is www/ (www/local.mk lists them all)" same_tree "$B/www" "$D$pkgdatadir/www"
for f in "$B"/conf/nginx/*.conf; do
  check "nginx piece $(basename "$f") in \$(pkgdatadir)/nginx" cmp -s "$f" "$D$pkgdatadir/nginx/$(basename "$f")"
done

# --- configuration ----------------------------------------------------------------
CONFS=(gateway sweeper webhooks credit-server shop history admin)
for c in "${CONFS[@]}"; do
  f=$D$confdir/$c.conf
  is "$c.conf: mode 0640" "$(stat -c %a "$f" 2>/dev/null)" 640
  check "$c.conf: only comments, blank lines and KEY=value lines" \
    bash -c '! grep -vqE "^(#.*|[A-Z][A-Z0-9_]*=.*|)$" "$1"' _ "$f"
  check "$c.conf: every folder filled in (no @placeholder@)" bash -c '! grep -q "@[a-z]*@" "$1"' _ "$f"
done
# names NAME: the PAYGW_ variables a conf file names, set or as a commented default
names() { grep -oE '^#?PAYGW_[A-Z0-9_]+=' "$D$confdir/$1.conf" | tr -d '#=' | sort -u; }
# read_by FILE...: the PAYGW_ variables the C files read
read_by() { grep -ohE '"PAYGW_[A-Z0-9_]+"' "$@" | tr -d '"' | sort -u; }
# covers CONF ONLY EXCEPT FILE...: the conf names every variable the files
# read that matches the regex ONLY and not the regex EXCEPT
covers() {
  local conf=$1 only=$2 except=$3; shift 3
  local missing
  missing=$(comm -23 <(read_by "$@" | grep -xE "$only" | grep -vxE "$except") <(names "$conf") | paste -sd' ')
  if [[ -z $missing ]]; then ok "$conf.conf names every variable its program reads"
  else not_ok "$conf.conf names every variable its program reads (missing: $missing)"; fi
}
LIBS=$(find "$B/lib" -name '*.c')
GW=$B/cgi/gateway
# the worker: not the sweeper's and sender's own; PAYGW_VAR is the dev stack's (the slot folder is set);
# PAYGW_ANSWER_LOG is scripts/check's (whole answers in a file: never on a host, docs/config.md)
# shellcheck disable=SC2046,SC2086
covers gateway '.*' 'PAYGW_VAR|PAYGW_ANSWER_LOG|PAYGW_SWEEP_.*|PAYGW_REVERSAL_.*|PAYGW_WEBHOOK_.*' \
  $(ls "$GW"/*.c | grep -vE '/(sweeper_main|webhooks_main|webhook_send)\.c$') $LIBS
# the sweeper: of the settings the workers share, its own
# shellcheck disable=SC2086
covers sweeper '.*' 'PAYGW_CARD_KEY_FILE' "$GW"/sweeper_main.c "$GW"/sweep.c "$GW"/issuer_link.c $LIBS
covers sweeper 'PAYGW_(SWEEP|REVERSAL)_.*|PAYGW_ISSUER_TIMEOUT_MS|PAYGW_MESSAGE_KEY_FILE|PAYGW_REFUND_GIVE_UP_S|PAYGW_CREDIT_ADDR' \
  'x' "$GW"/settings.c
# shellcheck disable=SC2086
covers webhooks '.*' 'x' "$GW"/webhooks_main.c "$GW"/webhook_send.c $LIBS
# shellcheck disable=SC2086
covers credit-server '.*' 'x' "$B"/credit-server/*.c "$B"/credit-server/db/*.c $LIBS
# shellcheck disable=SC2086
covers shop '.*' 'x' "$B"/cgi/shop/*.c "$B"/cgi/shop/db/*.c $LIBS
# shellcheck disable=SC2086
covers history '.*' 'x' "$B"/cgi/history/*.c "$B"/cgi/history/db/*.c $LIBS
# paygw-admin: PAYGW_DB_URI is only its fallback for PAYGW_ADMIN_DB_URI
covers admin '.*' 'PAYGW_DB_URI' "$B"/admin/*.c
check "admin.conf gives paygw-migrate its PAYGW_PGURI" grep -q '^PAYGW_PGURI=' "$D$confdir/admin.conf"
check "sweeper.conf does not give the sweeper the card key file" \
  bash -c '! grep -q "^#\?PAYGW_CARD_KEY_FILE=" "$1"' _ "$D$confdir/sweeper.conf"
check "every example is also in \$(pkgdatadir)/examples" \
  bash -c 'for c in "${@:3}"; do cmp -s "$1/$c.conf" "$2/$c.conf" || exit 1; done' _ \
  "$D$confdir" "$D$pkgdatadir/examples" "${CONFS[@]}"
is "keys folder: mode 0700" "$(stat -c %a "$D$confdir/keys" 2>/dev/null)" 700
check "state folder \$(localstatedir)/lib/paygw" test -d "$D$statedir"

# --- nothing points into the build tree ------------------------------------------
baked=()
while IFS= read -r -d '' f; do
  if file -b "$f" | grep -q '^ELF'; then
    # debugging sections name the source files; what the program runs with must not
    strip -o "$TMP/stripped" "$f" && grep -qF "$B" "$TMP/stripped" && baked+=("${f#"$D"}")
  elif grep -qF "$B" "$f"; then
    baked+=("${f#"$D"}")
  fi
done < <(find "$D" -type f -print0)
is "no installed file names the build tree $B" "${baked[*]}" ""
check "shop.fcgi's own template folder is the installed one" \
  bash -c 'strings "$1" | grep -qxF "$2"' _ "$D$pkglibexecdir/shop.fcgi" "$pkgdatadir/templates/shop"
check "history.fcgi's own template folder is the installed one" \
  bash -c 'strings "$1" | grep -qxF "$2"' _ "$D$pkglibexecdir/history.fcgi" "$pkgdatadir/templates/history"

# --- paygw-migrate ------------------------------------------------------------------
M=$D$bindir/paygw-migrate
check "paygw-migrate reads \$(pkgdatadir)/sql and \$(sysconfdir)/paygw/admin.conf" \
  bash -c 'grep -qxF "SQL_DIR=$2/sql" "$1" && grep -qxF "CONF_FILE=$3/admin.conf" "$1"' _ "$M" "$pkgdatadir" "$confdir"
check "... and is scripts/migrate otherwise" \
  bash -c 'diff <(grep -vE "^(SQL_DIR|CONF_FILE)=" "$1") <(grep -vE "^(SQL_DIR|CONF_FILE)=" "$2") >/dev/null' \
  _ "$M" "$B/scripts/migrate"
out=$(env -u PAYGW_VAR PAYGW_SQL_DIR="$D$pkgdatadir/sql" PAYGW_PGURI="$PAYGW_PGURI" "$M" 2>&1); rc=$?
is "paygw-migrate with PAYGW_PGURI: exit status 0" "$rc" 0
like "... finds the stack's database up to date" "$out" "paygw-migrate: 0 applied, database up to date$"
{ echo "# a test's admin.conf"; echo "PAYGW_PGURI=\"$PAYGW_PGURI\""; } >"$TMP/admin.conf"
out=$(env -u PAYGW_PGURI -u PAYGW_VAR PAYGW_SQL_DIR="$D$pkgdatadir/sql" PAYGW_ADMIN_CONF="$TMP/admin.conf" "$M" 2>&1)
rc=$?
is "paygw-migrate without PAYGW_PGURI reads it from admin.conf: exit status 0" "$rc" 0
like "... the same database, up to date" "$out" "0 applied, database up to date$"
echo '#PAYGW_PGURI=postgresql:///nowhere' >"$TMP/empty.conf"
out=$(env -u PAYGW_PGURI -u PAYGW_VAR PAYGW_SQL_DIR="$D$pkgdatadir/sql" PAYGW_ADMIN_CONF="$TMP/empty.conf" "$M" 2>&1)
rc=$?
is "an admin.conf without PAYGW_PGURI: exit status 2" "$rc" 2
like "... saying so" "$out" "PAYGW_PGURI is not set"

# --- keys generate ------------------------------------------------------------------
K=$D$confdir/keys
A=(env -u PAYGW_ADMIN_DB_URI -u PAYGW_DB_URI "$D$bindir/paygw-admin")
"${A[@]}" keys generate --card-key-file "$K/card.keys" --issuer-card-key-file "$K/issuer-card.keys" \
  --message-key-file "$K/message.pem" >"$TMP/keys.out" 2>&1
is "paygw-admin keys generate: exit status 0" "$?" 0
for f in card.keys issuer-card.keys message.pem; do is "keys generate: $f is mode 0600" "$(stat -c %a "$K/$f")" 600; done
is "keys generate: the public half message.pub.pem is 0644" "$(stat -c %a "$K/message.pub.pem")" 644
check "keys generate: no key material on its output" bash -c '! grep -qE "[0-9a-f]{64}|PRIVATE" "$1"' _ "$TMP/keys.out"
check "the message key's public half is the key's (openssl)" \
  bash -c 'openssl pkey -in "$1" -pubout | cmp -s - "$2"' _ "$K/message.pem" "$K/message.pub.pem"
check "the two card key files differ" bash -c '! cmp -s <(grep data-key "$1") <(grep data-key "$2")' _ \
  "$K/card.keys" "$K/issuer-card.keys"
sum=$(cat "$K"/* | sha256sum)
"${A[@]}" keys generate --card-key-file "$K/new.keys" --message-key-file "$K/message.pem" >"$TMP/again.out" 2>&1
is "keys generate over an existing file: exit status 2" "$?" 2
check "... and nothing made or changed" bash -c '[[ ! -e $1/new.keys && $(cat "$1"/* | sha256sum) == "$2" ]]' _ "$K" "$sum"
PAYGW_CARD_KEY_FILE=$K/card.keys "${A[@]}" keys rotate >"$TMP/rotate.out" 2>&1
is "keys rotate reads and extends the generated card key file: exit status 0" "$?" 0
is "... which then holds data keys 1 and 2, still 0600" \
  "$(grep -c '^data-key [12] ' "$K/card.keys") $(stat -c %a "$K/card.keys")" "2 600"

# --- reinstall and uninstall keep the operator's files --------------------------
echo 'PAYGW_WORKERS=16' >>"$D$confdir/gateway.conf"
chmod 0600 "$D$confdir/gateway.conf"
edited=$(sha256sum <"$D$confdir/gateway.conf")
rm "$D$confdir/shop.conf"
make -s -C "$B" install DESTDIR="$D" >"$TMP/install2.out" 2>&1
is "make install again: exit status 0" "$?" 0
is "an edited gateway.conf is kept as it was, mode and all" \
  "$(sha256sum <"$D$confdir/gateway.conf") $(stat -c %a "$D$confdir/gateway.conf")" "$edited 600"
check "... and the install says so" grep -q "keeping $D$confdir/gateway.conf" "$TMP/install2.out"
check "a removed shop.conf is installed again" cmp -s "$D$confdir/shop.conf" "$D$pkgdatadir/examples/shop.conf"
check "the generated keys are untouched" test -s "$K/card.keys" -a -s "$K/message.pem"
make -s -C "$B" uninstall DESTDIR="$D" >"$TMP/uninstall.out" 2>&1
is "make uninstall: exit status 0" "$?" 0
is "uninstall keeps the edited gateway.conf" "$(sha256sum <"$D$confdir/gateway.conf" 2>/dev/null)" "$edited"
check "uninstall removes the unchanged examples" test ! -e "$D$confdir/shop.conf" -a ! -e "$D$confdir/admin.conf"
check "uninstall keeps the key files" test -s "$K/card.keys" -a -s "$K/message.pem"
is "uninstall removes every program, migration and template" \
  "$(find "$D$bindir" "$D$pkglibexecdir" "$D$pkgdatadir" -type f 2>/dev/null | wc -l)" 0
done_testing
