# lib.sh - what the benchmarks share (sourced; scripts/bench/run skips it).

# peak NAME COMMAND...: one line, the child's peak memory and wall time
peak() {
	_n=$1
	shift
	python3 -c '
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[2:])
w = time.time() - t
mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("%-34s %6.1f MB  %6.2f s%s" % (sys.argv[1] + ":", mb, w,
    "" if rc == 0 else "  (exit %d)" % rc))
sys.exit(rc)
' "$_n" "$@"
}
