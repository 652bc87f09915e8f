#!/usr/bin/env bash
# More POS terminals long-polling (GET /v1/transactions/{n}?wait=) than the
# gateway has workers must not stall the stack: at most PAYGW_WAIT_SLOTS
# (half the workers) hold a wait, the others are answered at once with
# Retry-After, and a handset's request still gets through quickly.
. "$(dirname "$0")/flowlib.sh"

workers=${PAYGW_WORKERS:-8}
slots=$(( workers / 2 > 0 ? workers / 2 : 1 ))
n=$(( workers + 2 ))
txn_create 1111111111 00001
nonempty "a transaction to wait on" "$TXN"
out=$FLOW_TMP/waits
mkdir -p "$out"
start=$(date +%s%N)
for i in $(seq $n); do
  curl -sS -o /dev/null -D "$out/h$i" -w '%{time_total}\n' --cacert "$PAYGW_CA" \
    -H "Authorization: Bearer $(terminal_credential 1111111111)" \
    "$PAYGW_URL/v1/transactions/$TXN?wait=6" >"$out/t$i" &
done
sleep 1
t0=$(date +%s%N)
api GET /v1/health
took=$(( ($(date +%s%N) - t0) / 1000000 ))
is "with $n terminals waiting, a request for the handsets is served" "$STATUS" 200
between "... at once (${took} ms)" "$took" 0 1500
wait
quick=0 long=0
for i in $(seq $n); do
  t=$(cut -d. -f1 "$out/t$i")
  if [[ $t -lt 2 ]]; then quick=$((quick + 1)); else long=$((long + 1)); fi
done
is "$slots waits were held (one per slot)" "$long" "$slots"
is "the other $((n - slots)) were answered at once" "$quick" $((n - slots))
is "... each with Retry-After" "$(grep -il '^retry-after: 1' "$out"/h* | wc -l)" $((n - slots))
done_testing
