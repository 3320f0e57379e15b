#!/bin/sh
# scripts/runtests itself, on small fake test files: a NUL byte before a
# failure, skipped tests, a wrong plan, a bail out, a crash.
. "$(dirname "$0")/lib.sh"

R=$top/scripts/runtests
F=$T/fake
mkdir "$F"

# fake NAME LINE...: a test file printing each LINE (a printf format)
fake() {
	_f=$F/$1.t
	shift
	echo '#!/bin/sh' >"$_f"
	for _l; do printf "printf '%s\\n'\n" "$_l" >>"$_f"; done
}

fake nul 'ok 1 - before' '# a log line with \000 a NUL' \
    'not ok 2 - after the NUL' '1..2'
run "$R" "$F/nul.t"
is "$rc" 1 "a failure after a NUL byte: the run fails"
like "$T/out" '^FAIL nul\.t: failed tests$' "the file is named"
like "$T/out" '^    not ok 2 - after the NUL$' "the failed test is shown"
unlike "$T/err" '[Bb]inary file' "the log is not taken for binary"
like "$T/out" '^1 passed, 1 failed, 0 skipped$' "counted as failed"
ok "no NUL in the runner's own output" sh -c "tr -d '\\000' <'$T/out' |
    cmp -s - '$T/out'"

fake skip 'ok 1 - runs' 'ok 2 - needs a thing # SKIP no thing here' \
    'ok 3 - lower case # skip why' '1..3'
run "$R" "$F/skip.t"
is "$rc" 0 "skipped tests never fail the run"
like "$T/out" '^ok   skip\.t \(1, 2 skipped\)$' "the file line counts them"
like "$T/out" '^    ok 2 - needs a thing # SKIP no thing here$' \
    "and shows why"
like "$T/out" '^1 passed, 0 failed, 2 skipped$' "skipped, not passed"

# A test file using lib.sh's skip helper.
printf '#!/bin/sh\n. "%s/lib.sh"\n%s\n%s\ndone_testing\n' "$here" \
    'ok "runs" true' 'skip "a thing" "not here"' >"$F/helper.t"
run "$R" "$F/helper.t"
is "$rc" 0 "lib.sh skip: the run passes"
like "$T/out" '^    ok 2 - a thing # SKIP not here$' \
    "lib.sh skip: the TAP directive"
like "$T/out" '^1 passed, 0 failed, 1 skipped$' "lib.sh skip: counted"

fake hash 'ok 1 - row #3 # counted # SKIP last directive' \
    'ok 2 - item #4 skipped earlier # fine' '1..2'
run "$R" "$F/hash.t"
like "$T/out" '^1 passed, 0 failed, 1 skipped$' \
    "only a SKIP after the last # is a skip"

fake short 'ok 1 - one' '1..2'
run "$R" "$F/short.t"
is "$rc" 1 "fewer tests than planned: fails"
like "$T/out" '^FAIL short\.t: planned 2, ran 1$' "says so"

fake bail 'ok 1 - one' 'Bail out! fixture missing'
run "$R" "$F/bail.t"
is "$rc" 1 "bail out: fails"
like "$T/out" '^FAIL bail\.t: Bail out! fixture missing$' "with its reason"

printf '#!/bin/sh\necho "ok 1 - one"\nkill -SEGV $$\n' >"$F/crash.t"
run "$R" "$F/crash.t"
is "$rc" 1 "a crash: fails"
like "$T/out" '^FAIL crash\.t: no plan' "no plan"

printf '#!/bin/sh\necho "ok 1 - one"\necho 1..1\nexit 3\n' >"$F/exit.t"
run "$R" "$F/exit.t"
is "$rc" 1 "a bad exit status after passing tests: fails"
like "$T/out" '^FAIL exit\.t: exit 3$' "says which"

run "$R" "$F/skip.t" "$F/nul.t" "$F/helper.t"
is "$rc" 1 "together: the failure decides"
like "$T/out" '^3 passed, 1 failed, 3 skipped$' "together: the sums"

# --fast leaves out the files on the slow list.
fake npi 'ok 1 - slow' '1..1'
fake quick 'ok 1 - quick' '1..1'
run "$R" --fast "$F/npi.t" "$F/quick.t"
is "$rc" 0 "--fast runs"
like "$T/out" '^ok   quick\.t' "a quick file runs"
unlike "$T/out" 'npi\.t' "a slow one does not"

done_testing
