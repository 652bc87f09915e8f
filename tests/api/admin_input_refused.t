#!/usr/bin/env bash
# admin_input_refused.t — every kind of bad input to paygw-admin (card number
# Luhn/length/characters, expiry, duplicate IDs, unknown references, bad
# options) gives exit status 2, says exactly what was wrong on stderr, never
# echoes a card number (not even one typed as an option, ID or command:
# "(not shown)", in the message and its log line), and leaves the database unchanged (row counts and
# contents of every enrolment table, admin_log included, before/after).
. "$(dirname "$0")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
S=t$$$RANDOM
T=$(unique_tag)   # terminal codes: a letter and T, so their first 8 characters (field 41) are this run's
R=$(date +%s%N | tail -c 13)   # 12 digits: a range prefix no other run shares

new_pan() { luhn "99$(date +%s%N | tail -c 14 | head -c 13)"; }
snapshot() {
  psql_q "SELECT concat_ws(' ',
    (SELECT count(*) FROM gateway.issuers), (SELECT count(*) FROM gateway.issuer_ranges),
    (SELECT count(*) FROM gateway.merchants), (SELECT count(*) FROM gateway.terminals),
    (SELECT count(*) FROM gateway.subscribers), (SELECT count(*) FROM gateway.devices),
    (SELECT count(*) FROM gateway.cards), (SELECT count(*) FROM gateway.users),
    (SELECT count(*) FROM gateway.admin_log),
    (SELECT md5(coalesce(string_agg(m::text, ';' ORDER BY merchant_id, issuer_id), '')) FROM gateway.merchant_methods m),
    (SELECT md5(coalesce(string_agg(status, ';' ORDER BY id), '')) FROM gateway.cards))"
}
absent() { ! grep -qF -- "$1" "${@:2}"; }
# card_forms TEXT → TEXT, and its digits alone, when those are 12 or more
# (a card number however it was typed: spaced, dashed or plain)
card_forms() {
  local text digits=${1//[!0-9]/}
  text=$(sed -E 's/^[[:space:]]+|[[:space:]]+$//g' <<<"$1")
  if (( ${#digits} >= 12 )); then
    echo "as given|$text"
    [[ $digits != "$text" ]] && echo "its digits|$digits"
  fi
  return 0
}

# refused DESCRIPTION STDIN MESSAGE ARGS...: exit 2, MESSAGE on stderr, no change
refused() {
  local desc=$1 input=$2 want=$3 before after rc; shift 3
  before=$(snapshot)
  printf '%s\n' "$input" | "$ADMIN" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?
  after=$(snapshot)
  is "$desc: exit status" "$rc" 2
  if grep -qF -- "paygw-admin: " "$TMP/err" && grep -qF -- "$want" "$TMP/err"; then ok "$desc: says '$want'"
  else not_ok "$desc: says '$want' (stderr: $(head -c 300 "$TMP/err"))"; fi
  is "$desc: database unchanged" "$after" "$before"
  is "$desc: nothing on stdout" "$(cat "$TMP/out")" ""
  # the card number from standard input, or one given on the command line
  # to `card add` (refused: only the arguments of that command can be one)
  local forms arg; forms=$(card_forms "$input")
  if [[ ${1:-} == card && ${2:-} == add ]]; then
    for arg in "${@:3}"; do forms+=$'\n'$(card_forms "$arg"); done
  fi
  local line n=0
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    n=$((n + 1))
    check "$desc: card number not echoed (${line%%|*})" absent "${line#*|}" "$TMP/err" "$TMP/out"
  done <<<"$forms"
  CARD_CHECKS=$n
}

# --- what the refusals collide with ------------------------------------------
setup() {
  "$ADMIN" issuer add --code "I$S" --name "Test issuer $S" &&
  "$ADMIN" range add --issuer "I$S" --low "8${R}0" --high "8${R}9" &&
  "$ADMIN" merchant add --code "9${S//[!0-9]/}" --name "Test merchant" --shop "Test shop $S" &&
  "$ADMIN" terminal add --merchant "9${S//[!0-9]/}" --code "a$T" >/dev/null &&
  "$ADMIN" subscriber add --code "s$S" --name "Test subscriber" &&
  "$ADMIN" subscriber add --code "o$S" --name "Other subscriber" &&
  "$ADMIN" device add --subscriber "s$S" --code "d$S" --key-out "$TMP/d.pem" &&
  "$ADMIN" device add --subscriber "o$S" --code "e$S" --key-out "$TMP/e.pem" &&
  echo "$PAN1" | "$ADMIN" card add --subscriber "s$S" --expiry 3012 --label "Card 1" >"$TMP/card1" &&
  echo "$PAN2" | "$ADMIN" card add --subscriber "s$S" --expiry 3012 --label "Card 2" >"$TMP/card2" &&
  echo "$PAN3" | "$ADMIN" card add --subscriber "o$S" --expiry 3012 --label "Card 3" >"$TMP/card3" &&
  echo "password-$S" | "$ADMIN" user add --user-id "u$S" --subscriber "s$S" --card "$(cut -d' ' -f2 "$TMP/card1")" --device "d$S"
}
PAN1=$(new_pan); sleep 0.01; PAN2=$(new_pan); sleep 0.01; PAN3=$(new_pan)
quiet_setup() { setup >/dev/null 2>"$TMP/setup.err"; }
check "setup: test issuer, merchant, subscribers, devices, cards and a user enrolled" quiet_setup
CARD1=$(cut -d' ' -f2 "$TMP/card1"); CARD2=$(cut -d' ' -f2 "$TMP/card2"); CARD3=$(cut -d' ' -f2 "$TMP/card3")
M=9${S//[!0-9]/}
BAD_LUHN=${PAN1%?}$(( (${PAN1: -1} + 1) % 10 ))

# --- card numbers and expiry --------------------------------------------------
refused "card failing Luhn" "$BAD_LUHN" "card number fails the Luhn check" card add --subscriber "s$S" --expiry 3012 --label X
refused "card of 11 digits" "41111111116" "card number must be 12 to 19 digits long" card add --subscriber "s$S" --expiry 3012 --label X
refused "card of 20 digits" "41111111111111111113" "card number must be 12 to 19 digits long" card add --subscriber "s$S" --expiry 3012 --label X
refused "card with letters" "4111x11111111111" "card number must contain only digits" card add --subscriber "s$S" --expiry 3012 --label X
refused "card number missing" "" "no card number on standard input" card add --subscriber "s$S" --expiry 3012 --label X
refused "expiry month 13" "$(new_pan)" "expiry must be YYMM" card add --subscriber "s$S" --expiry 3013 --label X
refused "expiry not YYMM" "$(new_pan)" "expiry must be YYMM" card add --subscriber "s$S" --expiry 12/30 --label X
refused "expiry passed" "$(new_pan)" "expiry 2001 has passed" card add --subscriber "s$S" --expiry 2001 --label X
refused "card enrolled twice" "$PAN1" "this card number is already enrolled" card add --subscriber "s$S" --expiry 3012 --label X
refused "card enrolled twice, with spaces" "$(sed -E 's/(.{4})/\1 /g' <<<"$PAN1")" "already enrolled" card add --subscriber "o$S" --expiry 3012 --label X
is "card enrolled twice, with spaces: looked for as given and as digits" "$CARD_CHECKS" 2
refused "card for unknown subscriber" "$(new_pan)" "unknown subscriber 'nobody$S'" card add --subscriber "nobody$S" --expiry 3012 --label X
refused "card label too long" "$(new_pan)" "card label must be 1-40 characters" card add --subscriber "s$S" --expiry 3012 --label "$(printf 'x%.0s' {1..41})"
refused "card number in argv" "" "card numbers and passwords are read from standard input" card add --subscriber "s$S" --expiry 3012 --label X "$PAN2"
is "card number in argv: looked for" "$CARD_CHECKS" 1
refused "card disable with a bad id" "" "card id must be a positive number" card disable --id abc
refused "card disable of an unknown id" "" "unknown card '999999999'" card disable --id 999999999

# --- duplicates -----------------------------------------------------------------
refused "issuer twice" "" "issuer I$S already exists" issuer add --code "I$S" --name again
refused "merchant twice" "" "merchant $M already exists" merchant add --code "$M" --name again --shop again
refused "terminal twice" "" "terminal a$T already exists" terminal add --merchant "$M" --code "a$T"
refused "subscriber twice" "" "subscriber s$S already exists" subscriber add --code "s$S" --name again
refused "device twice" "" "device d$S already exists" device add --subscriber "s$S" --code "d$S" --key-out "$TMP/again.pem"
check "device twice: no key file left behind" test ! -e "$TMP/again.pem"
refused "user ID twice" "password-$S" "user ID u$S already exists" user add --user-id "u$S" --subscriber "s$S" --card "$CARD2" --device "d$S"
refused "second user ID for one card" "password-$S" "card $CARD1 already has user ID u$S" user add --user-id "v$S" --subscriber "s$S" --card "$CARD1" --device "d$S"
refused "range overlapping another" "" "overlaps range" range add --issuer "I$S" --low "8${R}5" --high "8${R}55"
refused "demo range overlap" "" "overlaps" range add --issuer "I$S" --low 1525000000 --high 1525000000

# --- unknown references -----------------------------------------------------------
refused "range of unknown issuer" "" "unknown issuer 'nope$S'" range add --issuer "nope$S" --low 7${R}0 --high 7${R}9
refused "terminal of unknown merchant" "" "unknown merchant '7${S//[!0-9]/}'" terminal add --merchant "7${S//[!0-9]/}" --code "b$T"
refused "method of unknown merchant" "" "unknown merchant" method set --merchant "7${S//[!0-9]/}" --issuer "I$S" --methods L
refused "method of unknown issuer" "" "unknown issuer 'nope$S'" method set --merchant "$M" --issuer "nope$S" --methods L
refused "device of unknown subscriber" "" "unknown subscriber 'nobody$S'" device add --subscriber "nobody$S" --code "x$S" --key-out "$TMP/x.pem"
check "device of unknown subscriber: no key file" test ! -e "$TMP/x.pem"
refused "user with unknown card" "password-$S" "unknown card 999999999" user add --user-id "w$S" --subscriber "s$S" --card 999999999 --device "d$S"
refused "user with unknown device" "password-$S" "unknown device 'nodev$S'" user add --user-id "w$S" --subscriber "s$S" --card "$CARD2" --device "nodev$S"
refused "user with another's card" "password-$S" "card $CARD3 does not belong to that subscriber" user add --user-id "w$S" --subscriber "s$S" --card "$CARD3" --device "d$S"
refused "user with another's device" "password-$S" "device e$S does not belong to that subscriber" user add --user-id "w$S" --subscriber "s$S" --card "$CARD2" --device "e$S"
refused "disable unknown issuer" "" "unknown issuer 'nope$S'" issuer disable --code "nope$S"
refused "disable unknown user ID" "" "unknown user ID 'nope$S'" user disable --user-id "nope$S"
refused "unlock unknown user ID" "" "unknown user ID 'nope$S'" user unlock --user-id "nope$S"
refused "uim write of unknown device" "" "unknown device 'nodev$S'" uim write --device "nodev$S" --device-key "$TMP/d.pem" --out "$TMP/u.json"
refused "uim write with another device's key" "" "does not match" uim write --device "d$S" --device-key "$TMP/e.pem" --out "$TMP/u.json"
check "uim write refused: no store written" test ! -e "$TMP/u.json"

# --- malformed values and options -------------------------------------------------
refused "issuer code with a dash" "" "issuer code must be 1-16 letters or digits" issuer add --code "a-b" --name X
refused "merchant code with letters" "" "merchant code must be 1-15 digits" merchant add --code "12ab" --name X --shop Y
refused "terminal code with a dot" "" "terminal code must be 1-32" terminal add --merchant "$M" --code "pos.1"
refused "range bound with letters" "" "range bounds must be card-number prefixes of 1-19 digits" range add --issuer "I$S" --low 12a --high 13
refused "range reversed" "" "is above its high bound" range add --issuer "I$S" --low 7${R}9 --high 7${R}0
refused "unknown payment method" "" "unknown payment method 'X'" method set --merchant "$M" --issuer "I$S" --methods L,X
refused "installments without I" "" "--installments needs the installment method I" method set --merchant "$M" --issuer "I$S" --methods L,R --installments 3
refused "installment count 7" "" "installment count 7 is not allowed" method set --merchant "$M" --issuer "I$S" --methods L,I --installments 3,7
refused "password of 7 characters" "1234567" "password must be at least 8 characters" user add --user-id "w$S" --subscriber "s$S" --card "$CARD2" --device "d$S"
refused "password missing" "" "password" user add --user-id "w$S" --subscriber "s$S" --card "$CARD2" --device "d$S"
refused "missing option" "" "option --name is required" issuer add --code "J$S"
refused "unknown option" "" "unknown option --colour" issuer add --code "J$S" --name X --colour red
refused "option given twice" "" "option --code is given twice" issuer add --code "J$S" --code "K$S" --name X
refused "unknown command" "" "unknown command 'frobnicate'" frobnicate
refused "unknown verb" "" "unknown command 'issuer frobnicate'" issuer frobnicate
refused "device key file exists" "" "already exists; refusing to overwrite" device add --subscriber "s$S" --code "y$S" --key-out "$TMP/d.pem"

# --- a card number typed where something else was expected -------------------------
# Neither the message nor the "admin input refused" log line (both on stderr)
# may repeat it, in any grouping; the message says "(not shown)" instead.
P=$(new_pan); P_GROUPED=$(sed -E 's/(.{4})/\1 /g; s/ $//' <<<"$P")
refused_pan() {  # [PAN_INPUT=STDIN] refused_pan DESCRIPTION MESSAGE ARGS...
  local desc=$1 want=$2; shift 2
  refused "$desc" "${PAN_INPUT:-}" "$want" "$@"
  check "$desc: card number not echoed" absent "$P" "$TMP/err" "$TMP/out"
  check "$desc: ... nor its groups" absent "${P:0:12}" "$TMP/err" "$TMP/out"
  check "$desc: ... nor its groups with spaces" absent "${P_GROUPED:0:14}" "$TMP/err" "$TMP/out"
  check "$desc: the log line is there, without it" grep -q '"msg":"admin input refused".*(not shown)' "$TMP/err"
}
refused_pan "card number as an option name" "unknown option (not shown)" issuer add --code "J$S" --name X "--$P"
refused_pan "card number as --opt=value name" "unknown option (not shown)" issuer add --code "J$S" --name X "--$P=1"
refused_pan "card number as a command" "unknown command '(not shown)'" "$P"
refused_pan "card number as a verb" "unknown command 'issuer (not shown)'" issuer "$P"
refused_pan "card number with a letter as user ID" "user ID must be 1-32 of A-Z a-z 0-9 _ -, got '(not shown)'" \
  user add --user-id "${P}!" --subscriber "s$S" --card "$CARD2" --device "d$S"
refused_pan "grouped card number as user ID" "got '(not shown)'" \
  user add --user-id "$P_GROUPED" --subscriber "s$S" --card "$CARD2" --device "d$S"
refused_pan "card number as --card" "card id must be a positive number, got '(not shown)'" \
  user add --user-id "w$S" --subscriber "s$S" --card "${P}x" --device "d$S"
refused_pan "card number as card disable --id" "card id must be a positive number, got '(not shown)'" card disable --id "${P}x"
refused_pan "card number as an unknown card id" "unknown card '(not shown)'" card disable --id "$P"
refused_pan "card number as an unknown user ID" "unknown user ID '(not shown)'" user disable --user-id "$P"
refused_pan "card number as a subscriber" "unknown subscriber '(not shown)'" device add --subscriber "$P" --code "x$S" --key-out "$TMP/x.pem"
PAN_INPUT=password-$S refused_pan "card number as a device" "unknown device '(not shown)'" \
  user add --user-id "w$S" --subscriber "s$S" --card "$CARD2" --device "$P"
refused_pan "card number as a range bound" "range low bound (not shown) is above its high bound (not shown)" \
  range add --issuer "I$S" --low "$P" --high 1000000000000

# --- other failures: status 1, still nothing half-written --------------------------
before=$(snapshot)
"$ADMIN" device add --subscriber "s$S" --code "z$S" --key-out "$TMP/no/such/dir/z.pem" >/dev/null 2>"$TMP/err"; rc=$?
is "device key not writable: exit status 1" "$rc" 1
is "device key not writable: no device row" "$(snapshot)" "$before"
is "device key not writable: device z$S absent" "$(psql_q "SELECT count(*) FROM gateway.devices WHERE code = 'z$S'")" 0
PAYGW_ADMIN_DB_URI="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2" "$ADMIN" issuer list >/dev/null 2>"$TMP/err"; rc=$?
is "database unreachable: exit status 1" "$rc" 1
check "database unreachable: says so" grep -q "cannot connect to the database" "$TMP/err"

done_testing
