# nginx_site_make.sh — sourced by tests/static/nginx_site.t and
# tests/api/stack_nginx_site.t: conf/nginx/local.mk run by make outside
# automake, with the few variables automake's Makefile would give it; the
# sources from the tree, the targets in $T/build, never in the tree (a build
# in the tree has its own).  Needs T (a scratch folder) and TEST_ROOT.
mkdir -p "$T/build"
cat >"$T/stub.mk" <<'MK'
vpath %.in $(srcdir)
vpath %/fill $(srcdir)
MKDIR_P = mkdir -p
Makefile: ;
print-%: ; @echo '$($*)'
MK
# mk VAR=value... TARGET...: make in $T/build with local.mk's rules
mk() { make -s -C "$T/build" -f "$TEST_ROOT/conf/nginx/local.mk" -f "$T/stub.mk" srcdir="$TEST_ROOT" "$@"; }
