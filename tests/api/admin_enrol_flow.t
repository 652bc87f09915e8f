#!/usr/bin/env bash
# admin_enrol_flow.t — the everyday commands succeed and do what they say:
# add/list/disable for each entity, method set as an upsert, user unlock
# clearing a lock, one admin_log row and one JSON log line per change (never
# a secret), and --help for the tool and every command.
. "$(dirname "$0")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
S=t$$$RANDOM
N=${S//[!0-9]/}
R=$(date +%s%N | tail -c 13)   # 12 digits: a range prefix no other run shares
PAN=$(luhn "99$(date +%s%N | tail -c 14 | head -c 13)")
log_rows() { psql_q "SELECT count(*) FROM gateway.admin_log WHERE subject LIKE '%$1%'"; }

# run DESCRIPTION STDIN ARGS...: exit 0 expected; output in $TMP/out, $TMP/err
run() {
  local desc=$1 input=$2; shift 2
  printf '%s\n' "$input" | "$ADMIN" "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  is "$desc" "$rc" 0
  cat "$TMP/err" >>"$TMP/all.err"
}

run "issuer add" "" issuer add --code "I$N" --name "Issuer $S"
run "range add (bounds of differing length)" "" range add --issuer "I$N" --low "7${R}" --high "7${R}99"
run "merchant add" "" merchant add --code "8$N" --name "Merchant $S" --shop "Shop $S"
run "method set" "" method set --merchant "8$N" --issuer "I$N" --methods L,I,R --installments 12,3,6
is "method row stored" "$(psql_q "SELECT lump_sum, installments, bonus, partial_bonus, revolving, installment_counts FROM gateway.merchant_methods mm JOIN gateway.merchants m ON m.id = mm.merchant_id WHERE m.code = '8$N'")" "t|t|f|f|t|{3,6,12}"
run "method set again (upsert)" "" method set --merchant "8$N" --issuer "I$N" --methods B,pB
is "method row replaced, not duplicated" "$(psql_q "SELECT count(*) || ' ' || bool_and(NOT lump_sum AND NOT installments AND bonus AND partial_bonus AND NOT revolving) || ' ' || max(cardinality(installment_counts)) FROM gateway.merchant_methods mm JOIN gateway.merchants m ON m.id = mm.merchant_id WHERE m.code = '8$N'")" "1 true 0"
run "method list" "" method list
check "method list shows the row" grep -qE "^8$N +Merchant $S +I$N +B,pB" "$TMP/out"
run "subscriber add" "" subscriber add --code "s$S" --name "Subscriber $S"
run "device add" "" device add --subscriber "s$S" --code "d$S" --key-out "$TMP/d.pem"
run "card add" "$PAN" card add --subscriber "s$S" --expiry 3012 --label "Card $S"
card=$(cut -d' ' -f2 "$TMP/out")
run "user add" "a long password $S" user add --user-id "u$S" --subscriber "s$S" --card "$card" --device "d$S"
is "the user row binds subscriber, card and device" "$(psql_q "SELECT s.code || ' ' || u.card_id || ' ' || d.code || ' ' || u.status FROM gateway.users u JOIN gateway.subscribers s ON s.id = u.subscriber_id JOIN gateway.devices d ON d.id = u.device_id WHERE u.user_id = 'u$S'")" "s$S $card d$S active"
check "the password is stored as an argon2id hash, not in clear" \
  test "$(psql_q "SELECT password_hash LIKE '\$argon2id\$%' AND position('a long password' IN password_hash) = 0 FROM gateway.users WHERE user_id = 'u$S'")" = t

for what in issuer range merchant subscriber device card user terminal; do
  "$ADMIN" $what list >"$TMP/list" 2>&1
  check "$what list has a header line" test "$(head -1 "$TMP/list" | wc -w)" -ge 3
done
"$ADMIN" issuer list | grep -q "^I$N " && ok "issuer list shows the issuer" || not_ok "issuer list shows the issuer"
"$ADMIN" range list | grep -qE " 7${R} +7${R}99 " && ok "range list shows the range" || not_ok "range list shows the range"
"$ADMIN" subscriber list | grep -qE "^s$S +Subscriber $S +active +1 +1 +1$" && ok "subscriber list counts devices, cards, users" || not_ok "subscriber list counts devices, cards, users"
"$ADMIN" user list | grep -qE "^u$S +s$S +$card +${PAN:0:6}\*+${PAN: -4} +d$S +active" && ok "user list shows the masked card" || not_ok "user list shows the masked card"

# lock, then unlock
psql_q "UPDATE gateway.users SET failed_attempts = 10, locked_until = now() + interval '30 minutes' WHERE user_id = 'u$S'" >/dev/null
run "user unlock" "" user unlock --user-id "u$S"
is "user unlock clears failed_attempts and locked_until" "$(psql_q "SELECT failed_attempts || ' ' || (locked_until IS NULL) FROM gateway.users WHERE user_id = 'u$S'")" "0 true"
for what in issuer merchant subscriber device; do
  case $what in issuer) code=I$N ;; merchant) code=8$N ;; subscriber) code=s$S ;; device) code=d$S ;; esac
  run "$what disable" "" $what disable --code "$code"
done
run "user disable" "" user disable --user-id "u$S"
is "disabled everywhere" "$(psql_q "SELECT concat_ws(' ', (SELECT status FROM gateway.issuers WHERE code = 'I$N'), (SELECT status FROM gateway.merchants WHERE code = '8$N'), (SELECT status FROM gateway.subscribers WHERE code = 's$S'), (SELECT status FROM gateway.devices WHERE code = 'd$S'), (SELECT status FROM gateway.users WHERE user_id = 'u$S'))")" \
  "disabled disabled disabled disabled disabled"
"$ADMIN" device add --subscriber "s$S" --code "e$S" --key-out "$TMP/e.pem" >/dev/null 2>"$TMP/err"; rc=$?
is "no device for a disabled subscriber (exit 2)" "$rc" 2
check "no device for a disabled subscriber: says so" grep -q "subscriber s$S is disabled" "$TMP/err"

# logging: a row and a JSON line per change, never a secret
is "admin_log rows for this run" "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE subject LIKE '%$N%' OR subject LIKE '%$S%'")" 15
is "admin_log rows name the actor" "$(psql_q "SELECT count(DISTINCT actor) FROM gateway.admin_log WHERE subject LIKE '%$S%' AND actor <> ''")" 1
check "JSON log lines on stderr for the changes" bash -c '[[ $(grep -c "\"msg\":\"admin action\"" "$1") -ge 15 ]]' _ "$TMP/all.err"
check "every stderr line of a change is JSON" bash -c 'grep -v "^{" "$1" | grep -q . && exit 1 || exit 0' _ "$TMP/all.err"
check "no card number, password or key in the log lines" bash -c '! grep -qE -- "$1|a long password|PRIVATE KEY" "$2"' _ "$PAN" "$TMP/all.err"
check "no card number, password or key in admin_log" test "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE subject LIKE '%$PAN%' OR subject LIKE '%password%' OR subject LIKE '%PRIVATE%'")" = 0

# --help for the tool and every command
"$ADMIN" --help >"$TMP/help" 2>&1; rc=$?
is "paygw-admin --help: exit status 0" "$rc" 0
bad=0
while read -r entity verb; do
  [[ -z $entity ]] && continue
  "$ADMIN" $entity $verb --help >"$TMP/h" 2>&1 && grep -q "^usage: paygw-admin $entity" "$TMP/h" || { bad=$((bad + 1)); echo "# no help: $entity $verb"; }
done < <(sed -n '/^commands:/,$p' "$TMP/help" \
           | awk 'NR > 1 && NF {v = ($2 ~ /^[a-z][a-z-]*$/ ? $2 : ""); if (v != "" && $3 ~ /^[a-z-]+$/) v = v " " $3; print $1, v}')
is "every command of paygw-admin --help answers --help with its usage" "$bad" 0
check "paygw-admin --help lists 37 commands (keys generate, card update, merchant webhook set|rotate-secret|show, terminal rotate and user set-web-password too)" \
  test "$(sed -n '/^commands:/,$p' "$TMP/help" | grep -c '^  [a-z]')" -eq 37
"$ADMIN" merchant webhook --help >"$TMP/h" 2>&1; rc=$?
is "paygw-admin merchant webhook --help: exit 0, its three verbs" "$rc:$(grep -cE '^  merchant webhook (set|rotate-secret|show) ' "$TMP/h")" 0:3
"$ADMIN" >/dev/null 2>&1; is "paygw-admin without a command: exit status 2" "$?" 2
done_testing
