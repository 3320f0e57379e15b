#!/bin/sh
# Organizations by short name: --org NAME and CTP_ORG on every program
# (NAME.db in the data directory), bad names refused, ctp-init --org,
# ctp orgs with the caller's role, and the completions of --org.
. "$(dirname "$0")/lib.sh"

XDG_DATA_HOME=$T/data
export XDG_DATA_HOME
unset CTP_DB
D=$T/data/ctp

# --- no organization yet
run ctp orgs --csv
is "$rc" 0 "ctp orgs without a data directory: exit 0"
is "$(cat "$T/out")" "org,name,role,path" "and lists nothing"

# --- ctp-init --org creates NAME.db in the data directory
run ctp-init --org acme --name "Acme Clinic"
is "$rc" 0 "ctp-init --org acme"
ok "acme.db in the data directory" test -f "$D/acme.db"
is "$(stat -c %a "$D")" 700 "the data directory is created 0700"
is "$(stat -c %a "$D/acme.db")" 600 "the database is 0600"
run ctp-init --org=beta --name "Beta Health"
is "$rc" 0 "ctp-init --org=beta"
run ctp-init --org gamma.west_2 --name "Gamma West"
is "$rc" 0 "a name with a dot, a digit and an underscore"
run ctp-init --org acme --name Again
is "$rc" 73 "ctp-init --org of an existing organization: exit 73"
like "$T/err" "acme.db: already exists" "says so"

# --- every program reaches it by name
run ctp-org --org acme show --csv
is "$rc" 0 "ctp-org --org acme"
like "$T/out" '^name,Acme Clinic$' "reads acme"
run ctp-org --org=beta show --csv
like "$T/out" '^name,Beta Health$' "--org=beta reads beta"
run env CTP_ORG=beta ctp-org show --csv
like "$T/out" '^name,Beta Health$' "CTP_ORG=beta reads beta"
run env CTP_ORG=beta ctp-org --org acme show --csv
like "$T/out" '^name,Acme Clinic$' "--org on the command line wins over CTP_ORG"
run env CTP_ORG=beta CTP_DB="$D/acme.db" ctp-org show --csv
like "$T/out" '^name,Beta Health$' "CTP_ORG wins over CTP_DB"
run env CTP_ORG=beta ctp-org --db "$D/acme.db" show --csv
like "$T/out" '^name,Acme Clinic$' "--db wins over CTP_ORG"
run ctp org --org gamma.west_2 show --csv
like "$T/out" '^name,Gamma West$' "through ctp too"
run ctp --org beta org show --csv
like "$T/out" '^name,Beta Health$' "ctp --org NAME COMMAND"
run ctp --org=acme org show --csv
like "$T/out" '^name,Acme Clinic$' "ctp --org=NAME COMMAND"
run ctp-import --org acme "$FIXTURES/import/clean.csv"
is "$rc" 0 "ctp-import --org acme"
n=$(sqlite3 "$D/acme.db" "SELECT count(*) FROM providers")
is "$(test "$n" -gt 0 && echo yes)/$(sqlite3 "$D/beta.db" "SELECT count(*) FROM providers")" "yes/0" "written to acme only"
run ctp-roster --org nobody list
is "$rc" 66 "an organization that does not exist: exit 66"
like "$T/err" 'nobody\.db: no such database' "names its file"

# --- bad names: refused before anything is read or written
ls -R "$T/data" >"$T/before"
for bad in "../x" "a/b" ".hidden" "-x" "" "sp ace" "a;b" \
    "$(printf '%065d' 0)"; do
	run ctp-init --org "$bad" --name Bad
	is "$rc" 2 "--org '$bad': exit 2"
	like "$T/err" '^ctp-init: --org: (not an organization name|needs)' "--org '$bad': says why"
done
run ctp-init "--org=../../etc/x" --name Bad
is "$rc" 2 "--org=../../etc/x: exit 2"
run env CTP_ORG=../acme ctp-org show
is "$rc" 2 "CTP_ORG=../acme: exit 2"
like "$T/err" "^ctp-org: CTP_ORG: not an organization name: must not start with '\.' or '-'" "names CTP_ORG"
run ctp-roster list --org
is "$rc" 2 "--org without a name: exit 2"
like "$T/err" '^ctp-roster: --org: needs an organization name' "says so"
ls -R "$T/data" >"$T/after"
ok "nothing created by a bad name" cmp -s "$T/before" "$T/after"
run ctp-roster --org acme list -- --org beta
like "$T/err" 'unexpected|argument|usage' "after --, --org is not an option"

# --- ctp orgs: where the caller has a role, with it
CTP_DB=$D/acme.db ctp-user add alice --role coordinator >/dev/null
CTP_DB=$D/beta.db ctp-user add alice --role auditor >/dev/null
CTP_DB=$D/gamma.west_2.db ctp-user add bob --role admin >/dev/null
printf 'junk\n' >"$D/junk.db"
: >"$D/empty.db"
sqlite3 "$D/plain.db" "CREATE TABLE t(x)"
audits() {
	for f in acme beta gamma.west_2; do
		sqlite3 "$D/$f.db" "SELECT count(*) FROM audit"
	done | tr '\n' ' '
}
a0=$(audits)
run ctp orgs --csv
is "$rc" 0 "ctp orgs"
is "$(cut -d, -f1-3 "$T/out")" "org,name,role
acme,Acme Clinic,owner
beta,Beta Health,owner
gamma.west_2,Gamma West,owner" "the owner's three organizations, in name order"
like "$T/out" ",$D/acme.db\$" "with the file"
run env CTP_USER=alice ctp orgs --csv
is "$(cut -d, -f1-3 "$T/out")" "org,name,role
acme,Acme Clinic,coordinator
beta,Beta Health,auditor" "alice: her two, with her role in each"
run env CTP_USER=bob ctp orgs --json
is "$(cat "$T/out")" "{\"org\":\"gamma.west_2\",\"name\":\"Gamma West\",\"role\":\"admin\",\"path\":\"$D/gamma.west_2.db\"}" "bob: one, as JSON Lines"
run env CTP_USER=carol ctp orgs --names
is "$rc/$(cat "$T/out")" "0/" "a user with no seat: none"
is "$(audits)" "$a0" "ctp orgs writes nothing to any organization"
CTP_DB=$D/beta.db ctp-user disable alice >/dev/null
run env CTP_USER=alice ctp orgs --names
is "$(cat "$T/out")" "acme" "a disabled seat is no role"
run ctp orgs --bogus
is "$rc" 2 "ctp orgs --bogus: exit 2"
run ctp orgs --json --csv
is "$rc" 2 "two formats: exit 2"
run env XDG_DATA_HOME=relative ctp orgs --names
is "$rc" 0 "XDG_DATA_HOME not absolute: the default directory"

# --- completions: --org completes the caller's organizations
for f in "$top"/completions/bash/ctp-*; do
	p=$(basename "$f")
	fn=_$(echo "$p" | tr - _)
	got=$(CTP_USER=alice bash -c ". '$f'; COMP_WORDS=($p --org ''); COMP_CWORD=2; $fn; echo \"\${COMPREPLY[*]}\"" 2>&1)
	is "$got" "acme" "$p: bash completes --org with the caller's organizations"
	got=$(bash -c ". '$f'; COMP_WORDS=($p --o); COMP_CWORD=1; $fn; echo \"\${COMPREPLY[*]}\"" 2>&1)
	case " $got " in
	*" --org "*) ok_ 0 "$p: bash offers --org" ;;
	*) ok_ 1 "$p: bash offers --org"; echo "#   got '$got'" ;;
	esac
	ok "$p: zsh completes --org" grep -q 'ctp orgs --names' "$top/completions/zsh/_$p"
done
got=$(bash -c ". '$top/completions/bash/ctp'; COMP_WORDS=(ctp or); COMP_CWORD=1; _ctp; echo \"\${COMPREPLY[*]}\"")
is "$got" "org orgs" "bash: ctp completes orgs"

done_testing
