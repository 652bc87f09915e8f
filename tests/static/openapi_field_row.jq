# openapi_field_row.jq — one row of a request body's field table (field_rows.awk)
# against its schema in the dereferenced bundle of docs/openapi.yaml.  Read by
# openapi_lint.t.
# $s: the schema's name, $n: the member, $t: FIELD_*, $r: required|optional,
# $lo/$hi: min_len/max_len (text length or array items), $min/$max: FIELD_INT
# bounds ("-" when the row has none); prints what differs, nothing when all agree
def num: if . == "-" then null else tonumber end;
def within($k): [.. | objects | .[$k]? // empty] | unique;
def types: [.. | objects | .type? // empty] | flatten | unique;
.components.schemas[$s] as $S
| ($S.properties[$n] // null) as $p
| if $p == null then "\($s).\($n): missing"
  else
    [ (if ((($S.required // []) | index($n)) != null) != ($r == "required") then "required differs" else empty end),
      ({FIELD_INT: "integer", FIELD_BOOL: "boolean", FIELD_OBJECT: "object", FIELD_ARRAY: "array"}[$t] // "string") as $want
      | (if ($p | types | index($want)) == null then "type not \($want)" else empty end),
      (if (($p | types | index("null")) != null) != ($r == "optional") then "null \(if $r == "optional" then "not " else "" end)allowed" else empty end),
      (if $t == "FIELD_ARRAY" then ["minItems", "maxItems"] else ["minLength", "maxLength"] end) as [$kl, $kh]
      | (if ($lo | num) != null and ($p | within($kl)) != [$lo | num] then "\($kl) \($p | within($kl)) not \($lo)" else empty end),
        (if ($hi | num) != null and ($p | within($kh)) != [$hi | num] then "\($kh) \($p | within($kh)) not \($hi)" else empty end),
      (if ($min | num) != null and ($p | within("minimum")) != [$min | num] then "minimum \($p | within("minimum")) not \($min)" else empty end),
      (if ($max | num) != null and ($p | within("maximum")) != [$max | num] then "maximum \($p | within("maximum")) not \($max)" else empty end)
    ] | if length > 0 then "\($s).\($n): " + join(", ") else empty end
  end
