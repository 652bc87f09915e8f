#!/usr/bin/env bash
# flow_issuer_hung.t — a hung issuer must not stall the gateway.  The credit
# server is stopped with SIGSTOP (the kernel still accepts its connections,
# nothing answers) and 50 payments go through the real flow: each choice
# waits out PAYGW_ISSUER_TIMEOUT_MS and answers 502, leaving an authorization
# reversal_pending.  Then:
#   - 200 GET /v1/ping (at 40/s on one TLS connection) answer with a p99
#     (the 198th of 200) under 50 ms: no worker does reversal work;
#   - every reversal attempt is made by the one sweeper (paygw-sweeper, a
#     single pid in var/log/sweeper.log); a second sweeper started by hand
#     finds the advisory lock taken and sends nothing;
#   - attempt k of a row is followed by attempt k+1 no sooner than the
#     back-off min(PAYGW_REVERSAL_BACKOFF_MS * 2^(k-1), ..._MAX_MS) after it
#     went unanswered; the first is a 0400, the repeats 0401;
# and after SIGCONT the credit server sees each reversal no more often than
# the sweeper sent it (no copy per worker), every row ends reversed, every
# transaction failed, and the balances at the issuer are unchanged.
# check: alone — it measures the ping's p99 latency, which another lane's
# load moves past its bound
. "$(dirname "$0")/flowlib.sh"

N=50
BACKOFF_MS=${PAYGW_REVERSAL_BACKOFF_MS:-1000}
BACKOFF_MAX_MS=${PAYGW_REVERSAL_BACKOFF_MAX_MS:-60000}
USERS=(00001 00002 00003 00006)  # one per demo handset, so mailbox polls do not wait for each other
declare -A SHOP=([00001]=1111111111 [00002]=2222222222 [00003]=4444444444 [00006]=1111111111)  # takes the user's card
CREDIT_PID=$(cat "$PAYGW_VAR/run/credit-server.pid")
CREDIT_LOG=$PAYGW_VAR/log/credit-server.log
SWEEPER_LOG=$PAYGW_VAR/log/sweeper.log
SECOND=""
finish() {
  kill -CONT "$CREDIT_PID" 2>/dev/null
  [[ -n $SECOND ]] && kill "$SECOND" 2>/dev/null
  flow_cleanup
}
trap finish EXIT

check "the credit server's pid file names a live process" kill -0 "$CREDIT_PID"
declare -A before
for u in "${USERS[@]}"; do before[$u]=$(issuer_balance "$u"); done
credit_offset=$(stat -c %s "$CREDIT_LOG")
sweeper_offset=$(stat -c %s "$SWEEPER_LOG" 2>/dev/null || echo 0)

# --- the issuer hangs: 50 payments, each choice times out -------------------
kill -STOP "$CREDIT_PID"
# a second sweeper, started by hand beside the stack's: it must find the lock
# taken and do nothing while the first one works
if [[ -x $PAYGW_ROOT/cgi/gateway/paygw-sweeper ]]; then
  env -u PAYGW_PGURI "$PAYGW_ROOT/cgi/gateway/paygw-sweeper" </dev/null >"$FLOW_TMP/second.log" 2>&1 &
  SECOND=$!
fi
check "a second sweeper was started" test -n "$SECOND"
# one lane per handset (its own temporary folder: the mailbox and signature
# files are per lane): each transaction is run up to awaiting_method (the
# credit server is not asked before the choice) and its choice sent at once
# in the background, one choice in flight per lane
lane() {   # lane INDEX: the payments i = INDEX, INDEX + 4, ... of USERS[INDEX]
  local u=${USERS[$1]} out=$FLOW_TMP i chooser=""
  FLOW_TMP=$out/lane.$1
  mkdir -p "$FLOW_TMP"
  for ((i = $1; i < N; i += ${#USERS[@]})); do
    flow_to awaiting_method "${SHOP[$u]}" "$u" 100 || { echo "# lane $u: $FLOW_ERROR"; continue; }
    echo "$TXN $SESSION $u" >>"$out/txns.$1"
    [[ -n $chooser ]] && wait "$chooser"
    ( choose "$TXN" "$SESSION" L; echo "$STATUS $(jqr .code)" >"$out/choice.$TXN" ) &
    chooser=$!
  done
  [[ -n $chooser ]] && wait "$chooser"
}
hung_at=$(date +%s)
lanes=()
for ((l = 0; l < ${#USERS[@]}; l++)); do lane "$l" & lanes+=($!); done
wait "${lanes[@]}"
cat "$FLOW_TMP"/txns.* >"$FLOW_TMP/txns" 2>/dev/null
made=$(wc -l <"$FLOW_TMP/txns")
is "$N transactions reached awaiting_method" "$made" "$N"
NUMBERS=$(awk '{printf "%s'\''%s'\''", (NR > 1 ? "," : ""), $1}' "$FLOW_TMP/txns")
auth_rows() {   # auth_rows COLUMNS → one line per authorization of ours
  psql_q "SELECT $1 FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id
           WHERE t.number IN ($NUMBERS) ORDER BY a.id"
}
auth_count() {  # auth_count CONDITION → how many of our authorizations meet it
  psql_q "SELECT count(*) FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id
           WHERE t.number IN ($NUMBERS) AND $1"
}
answers=$(cat "$FLOW_TMP"/choice.* | sort | uniq -c | awk '{print $1 " " $2 " " $3}' | paste -sd,)
is "every choice answered 502 issuer_unavailable" "$answers" "$N 502 issuer_unavailable"
echo "# the $N payments took $(($(date +%s) - hung_at)) s with the issuer stopped"
is "every authorization is reversal_pending (the issuer cannot acknowledge)" \
  "$(auth_rows "a.status" | sort | uniq -c | awk '{print $1 " " $2}')" "$N reversal_pending"

# --- the gateway answers at once meanwhile -----------------------------------
# one TLS connection, 40 requests a second; a ping not answered within 2 s,
# or not sent at all within 30 s, counts as 2 s
args=()
for ((i = 0; i < 200; i++)); do args+=(-o /dev/null "$PAYGW_URL/v1/ping"); done
timeout 30 curl -sS --cacert "$PAYGW_CA" --rate 40/s --max-time 2 -w '%{http_code} %{time_total}\n' "${args[@]}" \
  >"$FLOW_TMP/pings" 2>/dev/null
is "200 pings answered 200" "$(grep -c '^200 ' "$FLOW_TMP/pings")" 200
ping_ms() {   # the 200 latencies in ms, sorted; the missing or failed ones as 2000
  awk '{print ($1 == 200 ? int($2 * 1000) : 2000)} END {for (i = NR; i < 200; i++) print 2000}' "$FLOW_TMP/pings" | sort -n
}
p99_ms=$(ping_ms | sed -n 198p)
max_ms=$(ping_ms | tail -1)
echo "# ping p99 $p99_ms ms, max $max_ms ms, $(auth_count "a.status = 'reversal_pending'") reversals pending"
between "ping p99 with the issuer hung and $N reversals pending (ms)" "$p99_ms" 0 50

# let the sweeper repeat some reversals while the issuer still hangs (the
# back-off is checked on the repeats), at most 60 s
for ((i = 0; i < 120; i++)); do
  [[ $(auth_count "a.reversal_attempts >= 3") -ge 3 ]] && break
  sleep 0.5
done

# --- the issuer comes back ----------------------------------------------------
kill -CONT "$CREDIT_PID"
resumed_at=$(date +%s)
for ((i = 0; i < 240; i++)); do
  [[ $(auth_count "a.status = 'reversed'") == "$N" ]] && break
  sleep 0.5
done
is "every authorization ends reversed" "$(auth_rows "a.status" | sort | uniq -c | awk '{print $1 " " $2}')" "$N reversed"
echo "# all reversed $(($(date +%s) - resumed_at)) s after SIGCONT"
is "every transaction failed" \
  "$(psql_q "SELECT status || ' ' || count(*) FROM gateway.transactions WHERE number IN ($NUMBERS) GROUP BY status")" "failed $N"
for u in "${USERS[@]}"; do
  is "user $u: the balance at the issuer is unchanged" "$(issuer_balance "$u")" "${before[$u]}"
done
is "no authorization of ours stays approved at the issuer" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations ia JOIN gateway.authorizations ga
              ON ia.stan = lpad(ga.stan::text, 6, '0') AND ia.transmission_time = ga.transmission_time
             JOIN gateway.transactions t ON t.id = ga.transaction_id
            WHERE t.number IN ($NUMBERS) AND ia.status = 'approved'")" 0

# --- who sent the reversals, how often, how far apart ---------------------------
# the sweeper's attempts at our rows: "number attempt mti acknowledged epoch-ms pid"
tail -c +$((sweeper_offset + 1)) "$SWEEPER_LOG" 2>/dev/null \
  | jq -R -r 'fromjson? | select(.msg == "reversal attempt")
      | "\(.transaction) \(.attempt) \(.mti) \(.acknowledged) \(.time) \(.sweeper)"' \
  | while read -r number attempt mti acked when pid; do
      grep -q "^$number " "$FLOW_TMP/txns" || continue
      echo "$number $attempt $mti $acked $(date -d "$when" +%s%3N) $pid"
    done >"$FLOW_TMP/attempts"
nonempty "the sweeper logged its reversal attempts" "$(head -1 "$FLOW_TMP/attempts")"
is "every attempt was made by one sweeper process" "$(awk '{print $6}' "$FLOW_TMP/attempts" | sort -u | wc -l)" 1
is "the sweeper logged as many attempts per row as the database counts" \
  "$(awk '{print $1}' "$FLOW_TMP/attempts" | sort | uniq -c | awk '{print $2 " " $1}' | sort)" \
  "$(auth_rows "t.number || ' ' || a.reversal_attempts" | sort)"
is "each row's reversal was acknowledged once, on its last attempt" \
  "$(sort -k1,1 -k2,2n "$FLOW_TMP/attempts" | awk 'NR == FNR {ours[$1] = 1; next}
       $4 == "true" {acked[$1]++} {last[$1] = $4}
       END {for (n in ours) if (last[n] != "true" || acked[n] != 1) bad++; print bad + 0}' "$FLOW_TMP/txns" -)" 0
is "a row's first attempt is a 0400, its repeats 0401" \
  "$(awk '($2 == 1) != ($3 == "0400") {bad++} END {print bad + 0}' "$FLOW_TMP/attempts")" 0
is "attempts of a row are numbered 1, 2, 3 ... with none missing" \
  "$(sort -k1,1 -k2,2n "$FLOW_TMP/attempts" | awk '$1 != prev {want = 1} $2 != want {bad++} {want = $2 + 1; prev = $1}
       END {print bad + 0}')" 0
repeated=$(awk '$2 >= 2' "$FLOW_TMP/attempts" | wc -l)
between "some reversals were repeated while the issuer hung (repeats)" "$repeated" 1 100000
# attempt k+1 comes no sooner than backoff(k) after attempt k went unanswered
# (each line is written when its attempt ended); 20 ms for the clocks
too_soon=$(sort -k1,1 -k2,2n "$FLOW_TMP/attempts" | awk -v base="$BACKOFF_MS" -v cap="$BACKOFF_MAX_MS" '
  $1 == prev { b = base * 2 ^ (prevk - 1); if (b > cap) b = cap
               if ($5 - prevt < b - 20) { bad++; print "# " $1 " attempt " $2 " came " $5 - prevt " ms after attempt " prevk " (back-off " b " ms)" > "/dev/stderr" } }
  { prev = $1; prevk = $2; prevt = $5 }
  END { print bad + 0 }')
is "every repeat waited its back-off" "$too_soon" 0

# the credit server, resumed, worked through what the kernel had queued: each
# row's reversals must number no more than the sweeper sent (one sender, not
# one per worker), with at most one 0400
auth_rows "lpad(a.stan::text, 6, '0') || a.transmission_time || ' ' || t.number" >"$FLOW_TMP/keys"
tail -c +$((credit_offset + 1)) "$CREDIT_LOG" \
  | jq -R -r 'fromjson? | select(.msg == "reversal") | "\(.original_stan)\(.original_time) \(.mti)"' >"$FLOW_TMP/received"
received=$(awk 'NR == FNR {num[$1] = $2; next} ($1 in num) {n++} END {print n + 0}' "$FLOW_TMP/keys" "$FLOW_TMP/received")
between "the credit server received reversals of our rows" "$received" "$N" 100000
is "no row reached the credit server more often than the sweeper sent it" \
  "$(awk 'FILENAME ~ /keys$/ {num[$1] = $2; next}
          FILENAME ~ /attempts$/ {sent[$1]++; next}
          ($1 in num) {got[num[$1]]++; if ($2 == "0400") first[num[$1]]++}
          END {for (n in got) if (got[n] > sent[n] || first[n] > 1) bad++; print bad + 0}' \
       "$FLOW_TMP/keys" "$FLOW_TMP/attempts" "$FLOW_TMP/received")" 0

# --- the second sweeper stood aside ----------------------------------------------
[[ -n $SECOND ]] && kill "$SECOND" 2>/dev/null && wait "$SECOND" 2>/dev/null
SECOND=""
check "the second sweeper said another one holds the lock" grep -q 'another sweeper holds the lock' "$FLOW_TMP/second.log"
is "the second sweeper sent no reversal" "$(grep -c '"reversal attempt"' "$FLOW_TMP/second.log")" 0

# the handsets' mailboxes hold the failed completions: pick them up, so the
# next test's polls find their own messages
for u in "${USERS[@]}"; do mailbox_poll "${USER_DEVICE[$u]}"; done
done_testing
