#!/usr/bin/env bash
# Network management: an 0800 with field 70 = 301 (echo) answers an 0810
# with 39 = 00 echoing fields 7, 11 and 70; another code answers 30.
. "$(dirname "$0")/credit_lib.sh"

t=$(now_time)
send 0800 7="$t" 11=123456 70=301
is "echo: an 0810" "$(fld mti)" 0810
is "echo: 39 = 00" "$(fld 39)" 00
is "echo: fields 7, 11, 70 echoed" "$(fld 07) $(fld 11) $(fld 70)" "$t 123456 301"
is "echo: nothing else in the answer" "$(wc -l <<<"$ANS")" 5
send 0800 7="$t" 11=123457 70=999
is "network code 999: 0810 with 30" "$(fld mti) $(fld 39)" "0810 30"
done_testing
