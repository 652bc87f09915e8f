#!/usr/bin/env bash
# client_store_refused.t — the handset refuses a store that others can read,
# a truncated or garbled store, a missing one, and a bad command line, each
# with a clear message and exit status 2, without a crash; --help works for
# every command.
. "$(dirname "$0")/client_lib.sh"
STORE=$(store_copy 1234567 h1)
run() { "$HANDSET" "$@" >"$CT/out" 2>&1; RC=$?; }

cp "$STORE" "$CT/open.json"; chmod 644 "$CT/open.json"
run --store "$CT/open.json" cards
is "mode 644: exit status 2" "$RC" 2
check "mode 644: says to chmod 600" grep -q "mode 0600, it is 0644); run: chmod 600" "$CT/out"
size=$(stat -c %s "$STORE")
for cut in 1 100 $((size / 2)) $((size - 3)); do
  head -c "$cut" "$STORE" >"$CT/cut.json"; chmod 600 "$CT/cut.json"
  run --store "$CT/cut.json" pay --user 00001 --password x --link 127.0.0.1:1
  is "truncated to $cut bytes: exit status 2" "$RC" 2
  check "truncated to $cut bytes: says corrupt" grep -q "is corrupt" "$CT/out"
done
sed 's/"version": 1/"version": 7/' "$STORE" >"$CT/v7.json"; chmod 600 "$CT/v7.json"
run --store "$CT/v7.json" cards
is "a newer version: exit status 2" "$RC" 2
check "a newer version: named" grep -q "field 'version' is not 1" "$CT/out"
sed 's/BEGIN PRIVATE KEY-----\\n./BEGIN PRIVATE KEY-----\\n#/' "$STORE" >"$CT/badkey.json"; chmod 600 "$CT/badkey.json"
run --store "$CT/badkey.json" watch --once --agree --method L
is "a damaged device key: exit status 2" "$RC" 2
check "a damaged device key: named" grep -q "device_private_key" "$CT/out"
head -c 4096 /dev/urandom >"$CT/noise.json"; chmod 600 "$CT/noise.json"
run --store "$CT/noise.json" cards
is "random bytes: exit status 2" "$RC" 2
run --store "$CT/none.json" cards
is "no such store: exit status 2" "$RC" 2
check "no such store: says so" grep -q "cannot open the store" "$CT/out"
env -u PAYGW_HANDSET_STORE "$HANDSET" cards >"$CT/out" 2>&1
is "no store given: exit status 2" "$?" 2

run --store "$STORE" cards
is "cards: exit status 0" "$RC" 0
check "cards: figure 13 lists the three cards" test "$(grep -cE '^\s+\[[123]\] ' "$CT/out")" = 3
check "cards: masked numbers only" no_pan_in "$CT/out"
run --store "$STORE" pay --user 00001 --password demo-pass-00001
is "pay without a link: exit status 2" "$RC" 2
run --store "$STORE" pay --bogus
is "unknown option: exit status 2" "$RC" 2
run --store "$STORE" pay --method L
is "an option of another command: exit status 2" "$RC" 2
run --store "$STORE" watch --agree </dev/null
is "watch --agree without --method off a terminal: exit status 2" "$RC" 2
run --store "$STORE" fly
is "unknown command: exit status 2" "$RC" 2
for c in "" pay watch cards; do
  run $c --help
  is "handset $c --help: exit status 0" "$RC" 0
done
check "handset --help documents the exit statuses" grep -q "5 locked" <("$HANDSET" --help)
"$POS" --help >"$CT/out"; is "pos --help: exit status 0" "$?" 0
"$POS" sale --item "x,1,1" >"$CT/out" 2>&1; is "pos with a malformed item: exit status 2" "$?" 2
check "pos with a malformed item: says what is wrong" grep -q 'item must be "name,quantity,unit_price,tax"' "$CT/out"
"$POS" sale --item "x,1,1,0" --currency XYZ >"$CT/out" 2>&1; is "pos with an unknown currency: exit status 2" "$?" 2
"$POS" sale --item "x,1,1,0" --link-timeout 1 --listen "$CT/l.sock" --journal "$CT/j" >"$CT/out" 2>&1
is "pos with no credential: exit status 2" "$?" 2
check "pos with no credential: says where to put one" grep -q "no terminal credential" "$CT/out"
done_testing
