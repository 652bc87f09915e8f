# field_rows.awk — the request bodies' field tables of cgi/gateway/ep_*.c
# (validate.h: `const struct field NAME[] = { { .name = "x", .type = ... }, ... };`),
# one row a line: TABLE NAME TYPE required|optional MIN_LEN MAX_LEN MIN MAX,
# "-" where the row sets none.  Read by openapi_lint.t.
/struct field [a-z_]+\[\] = \{/ { match($0, /struct field [a-z_]+\[\]/); table = substr($0, RSTART + 13, RLENGTH - 15); text = ""; on = 1; next }
on && /^};/ { n = split(text, rows, /\{ \.name = /); for (i = 2; i <= n; i++) row(rows[i]); on = 0; next }
on { text = text " " $0 }
function val(r, key,   m) { if (match(r, "\\." key " = [^,}]+")) { m = substr(r, RSTART + length(key) + 4, RLENGTH - length(key) - 4); gsub(/LL$/, "", m); return m } return "-" }
function row(r,   name) {
  match(r, /^"[a-z_]+"/); name = substr(r, 2, RLENGTH - 2)
  print table, name, val(r, "type"), (r ~ /\.required = true/ ? "required" : "optional"), val(r, "min_len"), val(r, "max_len"), val(r, "min"), val(r, "max")
}
