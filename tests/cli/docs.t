#!/bin/sh
# Every program has a man page (mandoc -Tlint clean), is listed in ctp(7)
# and ctp's command list, and has bash and zsh completions that know each
# long option of its option table; --help and --version work.
. "$(dirname "$0")/lib.sh"

for src in "$top"/cmd/*.c; do
	p=$(basename "$src" .c)
	man=$top/man/$p.1
	ok "$p: man page exists" test -f "$man"
	[ -f "$man" ] || continue
	run mandoc -Tlint -W warning "$man"
	is "$rc$(cat "$T/out" "$T/err")" 0 "$p: mandoc -Tlint clean"
	for s in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
		grep -q "^\.Sh $s\$" "$man" || echo "$s" >>"$T/missing.$p"
	done
	is "$(cat "$T/missing.$p" 2>/dev/null)" "" "$p: man page has every section"
	ok "$p: bash completion" test -f "$top/completions/bash/$p"
	ok "$p: zsh completion" test -f "$top/completions/zsh/_$p"
	ok "$p: bash completion parses" bash -n "$top/completions/bash/$p"
	if [ "$p" != ctp ]; then
		ok "$p: listed in ctp(7)" grep -q "^\.It Xr $p 1" "$top/man/ctp.7"
		ok "$p: known to ctp" grep -q "\"${p#ctp-}\"" "$top/cmd/ctp.c"
	fi
	# Long options from the option table: { "name", ...
	opts=$(sed -n 's/^[[:space:]]*{ "\([a-z][a-z0-9-]*\)", *[a-z_]*_argument.*/\1/p' "$src" | sort -u)
	for o in $opts; do
		grep -q -- "--$o\b" "$top/completions/bash/$p" ||
			echo "bash:--$o" >>"$T/nocomp.$p"
		grep -q -- "--$o\b" "$top/completions/zsh/_$p" ||
			echo "zsh:--$o" >>"$T/nocomp.$p"
		grep -q -- "Fl -$o\b" "$man" || echo "man:--$o" >>"$T/nocomp.$p"
	done
	is "$(cat "$T/nocomp.$p" 2>/dev/null | tr '\n' ' ')" "" \
		"$p: completions and man page know every long option"
	run "$p" --help
	is "$rc" 0 "$p --help exits 0"
	ok "$p --help writes to stdout" test -s "$T/out"
	run "$p" --version
	like "$T/out" "^$p [0-9]+\.[0-9]+\.[0-9]+$" "$p --version"
	run "$p" --no-such-option
	is "$rc" 2 "$p: an unknown option exits 2"
	is "$(grep -c '^usage: ' "$T/err")/$(wc -l <"$T/err" | tr -d ' ')" "1/2" \
		"$p: the message and a one-line usage hint"
done
run mandoc -Tlint -W warning "$top/man/ctp.7"
is "$rc" 0 "ctp.7 lint clean"
done_testing
