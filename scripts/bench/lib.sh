# lib.sh - what the benchmarks share (sourced; scripts/bench/run skips it).

# peak NAME COMMAND...: one line, the child's peak memory, wall time and
# CPU time (user + system: what the run costs whatever else the machine
# is doing; on an idle machine of N cores the wall time is at least
# CPU / N)
peak() {
	_n=$1
	shift
	python3 -c '
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[2:])
w = time.time() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
mb = ru.ru_maxrss / 1024
print("%-34s %6.1f MB  %6.2f s  (CPU %.2f s)%s" % (sys.argv[1] + ":", mb, w,
    ru.ru_utime + ru.ru_stime, "" if rc == 0 else "  (exit %d)" % rc))
sys.exit(rc)
' "$_n" "$@"
}
