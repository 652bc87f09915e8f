#!/usr/bin/env bash
# client_pos_bad_reference.t — `pos sale --reference` that is not UTF-8 or
# longer than 64 characters is refused before the sale starts (exit 2, a
# clear message, nothing listened on, nothing journaled); 64 characters of
# multi-byte UTF-8 are taken whole.
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
run_pos() { "$POS" sale --journal "$CT/j.log" --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" \
  --link-timeout 1 --reference "$1" >"$CT/out" 2>&1; }

run_pos $'bad-\xff\xfe'; is "not UTF-8: exit status 2" "$?" 2
check "not UTF-8: says so" grep -q "reference is not valid UTF-8" "$CT/out"
check "not UTF-8: the sale did not start" bash -c "! grep -q 'proximity link' '$CT/out'"
run_pos "$(printf 'a%.0s' {1..65})"; is "65 characters: exit status 2" "$?" 2
check "65 characters: says so" grep -q "longer than 64 characters" "$CT/out"
check "nothing was journaled" test ! -s "$CT/j.log"
REF=$(printf '商%.0s' {1..64})
run_pos "$REF"; is "64 three-byte characters: the sale starts (no user ID: exit 3)" "$?" 3
is "... and the journal keeps the reference whole" "$(jq -r .reference "$CT/j.log")" "$REF"
done_testing
