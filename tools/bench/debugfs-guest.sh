#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make bench-debugfs` (a benchmark, not a test): how
# long pagepool's debugfs readers hold the pool's lock on a large pool,
# and what a reader costs the allocations meanwhile.
#
# It loads pagepool.ko with size=POOL bgzero=0: nothing zeroes free pages
# ahead of time, so the pool's memory is touched only where buffers are
# allocated and the host need not back the rest (`make bench-debugfs`
# boots with init_on_alloc=0 for the same reason). Then it fragments the
# first GiB or two of the pool: pagepool-test replay allocates a few
# thousand buffers of random sizes with gaps between them, frees the gaps
# and holds the rest in the background. Then:
#
#   1. ftrace: the function_graph tracer, filtered to the module's
#      pagealloc_check_part, pagealloc_check_totals and pagealloc_flush
#      (each runs whole under the pool's lock: the lock holds) and to
#      check_show and summary_show (a whole read of the file: what the
#      lock was held for before the readers worked in pieces), while
#      check, then summary, is read 5 times (after a read untraced, so
#      that QEMU has translated the code). A row per file and function:
#
#	ftrace FILE FUNCTION calls N med T p99 T max T sum T
#
#      (median, 99th percentile and longest of the calls' durations, as
#      the tracer measures them, and their sum over the reads). Under
#      TCG a vCPU that the host preempts stretches whatever call it is
#      in: the maxima carry that noise. If the module's functions cannot be
#      traced, a note says so and only the figures of 2 remain.
#   2. bench-e2e readers: 1-page allocations alone and while another
#      process on the other CPU reads check, summary or chunks over and
#      over (its rows are described in tools/bench/bench-e2e.c).
#
# Then it stops the replay and unloads. The TAP lines say whether each
# step worked.
#
# From the kernel command line, which `make bench-debugfs` sets:
#   pagepool.bench_pool=SIZE  the pool (default 16G)
#   pagepool.bench_frag=N     buffers held to fragment it (default 4000)
#   pagepool.bench_reads=N    traced reads of each file (default 5)
#   pagepool.bench_args=ARGS  bench-e2e readers' options, '~' for each
#                             space (say --reader-runs~5000)
# Run by tools/testing/qemu/run-guest, which puts bench-e2e in the guest
# as /bin/bench-e2e or /files/bench-e2e.

# shellcheck source=SCRIPTDIR/../testing/qemu/guest-lib.sh
. /lib/pagepool-tests.sh

bin=$(guest_bin bench-e2e)
if [ -z "$bin" ]; then
	not_ok "bench-debugfs" "no bench-e2e in the guest (/bin/bench-e2e)"
	exit 0
fi

tfs=/sys/kernel/tracing
dbg=/sys/kernel/debug/pagepool
[ -e "$tfs/buffer_size_kb" ] || mount -t tracefs nodev "$tfs" 2>/dev/null

setup debugfs "bench-debugfs"

pool=$(param bench_pool 16G)
frag=$(param bench_frag 4000)
reads=$(param bench_reads 5)
args=$(param bench_args '' | tr '~' ' ')

# fragment N: N "alloc" lines of 1 to 64 pages (one in a hundred up to
# 2048) and, between them, gaps of 1 to 128 pages that are allocated and
# then freed. The pool is new and first fit, so each buffer lands right
# after the one before it: the offsets of the "free" lines follow.
fragment() {
	awk -v n="$1" 'BEGIN {
		srand(1)
		off = 0
		for (i = 0; i < n; i++) {
			p = int(rand() * 64) + 1
			if (rand() < 0.01)
				p = int(rand() * 2048) + 1
			print "alloc " p
			off += p
			g[i] = int(rand() * 128) + 1
			print "alloc " g[i]
			o[i] = off
			off += g[i]
		}
		for (i = 0; i < n; i++)
			print "free " o[i] " " g[i]
	}'
}

# traceable: the tracer is there and the module's functions are in
# available_filter_functions.
traceable() {
	[ -e "$tfs/available_filter_functions" ] &&
		grep -q '^pagealloc_check_part ' "$tfs/available_filter_functions" &&
		grep -q '^check_show .*pagepool' \
			"$tfs/available_filter_functions"
}

# trace_read FILE: read debugfs FILE once untraced, then $reads times
# under the function_graph tracer, filtered to the pool's lock holders
# and the file's show function; the trace goes to $T/trace-FILE. The ring
# buffers grow to 16 MiB a CPU meanwhile, after insmod (their pages would
# break up the pool's window) and back before the end (MemFree).
trace_read() {
	_size=$(cut -d ' ' -f 1 "$tfs/buffer_size_kb")
	cat "$dbg/$1" >/dev/null
	echo 0 >"$tfs/tracing_on"
	echo nop >"$tfs/current_tracer"
	echo >"$tfs/set_ftrace_filter"
	for _f in pagealloc_check_part pagealloc_check_totals \
		pagealloc_flush check_show summary_show; do
		echo "$_f:mod:pagepool" >>"$tfs/set_ftrace_filter"
	done
	echo 16384 >"$tfs/buffer_size_kb"
	echo function_graph >"$tfs/current_tracer"
	echo 1 >"$tfs/options/funcgraph-tail" 2>/dev/null
	echo >"$tfs/trace"
	echo 1 >"$tfs/tracing_on"
	_i=0
	while [ "$_i" -lt "$reads" ]; do
		cat "$dbg/$1" >"$T/out-$1"
		_i=$((_i + 1))
	done
	echo 0 >"$tfs/tracing_on"
	cat "$tfs/trace" >"$T/trace-$1"
	echo nop >"$tfs/current_tracer"
	echo >"$tfs/set_ftrace_filter"
	echo "$_size" >"$tfs/buffer_size_kb"
}

# trace_rows FILE: a row per function of $T/trace-FILE: its calls, the
# median, 99th percentile and longest of their durations, and their sum.
trace_rows() {
	awk -v file="$1" '
	# A duration: the number before " us", in microseconds; the name:
	# a leaf call "name [pagepool]();" or an end "} /* name ... */".
	match($0, /[0-9]+(\.[0-9]+)? us/) {
		d = substr($0, RSTART, RLENGTH - 3) + 0
		s = $0
		sub(/^[^|]*\|[ \t]*/, "", s)
		if (s ~ /^}/)
			sub(/^}[ \t]*\/\*[ \t]*/, "", s)
		else if (s !~ /\(\);/)
			next
		if (!match(s, /^[a-z_0-9]+/))
			next
		name = substr(s, 1, RLENGTH)
		if (!(name in n))
			names[++nn] = name
		v[name, ++n[name]] = d
		sum[name] += d
	}
	function us(x) {
		return x >= 1000 ? sprintf("%.2fms", x / 1000) : \
			sprintf("%.1fus", x)
	}
	END {
		for (k = 1; k <= nn; k++) {
			f = names[k]
			c = n[f]
			# Insertion sort: a few thousand calls at most.
			for (i = 2; i <= c; i++) {
				x = v[f, i]
				for (j = i - 1; j >= 1 && v[f, j] > x; j--)
					v[f, j + 1] = v[f, j]
				v[f, j + 1] = x
			}
			r = int((c * 99 + 99) / 100)
			printf "ftrace %-7s %-22s calls %5d med %9s p99 %9s max %9s sum %9s\n",
				file, f, c, us(v[f, int((c + 1) / 2)]),
				us(v[f, r]), us(v[f, c]), us(sum[f])
		}
	}' "$T/trace-$1"
}

insmod_ok size="$pool" bgzero=0 || finish
note "$(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, $(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo) MiB, pool $(($(info pages) / 262144)) GiB in $(info chunks) chunks"

fragment "$frag" >"$T/frag"
t0=$(date +%s)
: >"$T/frag.out"
# Twice $frag descriptors at the peak (buffers and gaps), and more.
# shellcheck disable=SC3045 # busybox sh has ulimit -n
ulimit -n $((2 * frag + 1024))
pagepool-test replay --hold 86400 <"$T/frag" >"$T/frag.out" 2>&1 &
replay=$!
if wait_for 600 holding "$T/frag.out" &&
   ! grep -q -e error -e fail "$T/frag.out"; then
	ok "fragmented: $(info allocations) buffers held, $(($(info free_pages) / 256)) MiB free, largest run $(($(info largest_free) / 256)) MiB ($(($(date +%s) - t0)) s)"
else
	not_ok "fragment the pool" "$(grep -m 1 -e error -e fail -e pagepool "$T/frag.out")"
fi

if traceable; then
	for f in check summary; do
		trace_read "$f"
		if grep -q pagealloc_ "$T/trace-$f"; then
			ok "ftrace: read $f $reads times ($(head -n 1 "$T/out-$f" | cut -c 1-60))"
			trace_rows "$f"
		else
			not_ok "ftrace: read $f" "no pagealloc_ call in the trace"
			head -n 20 "$T/trace-$f" | sed 's/^/#   /'
		fi
	done
else
	note "ftrace: the module's functions cannot be traced on this kernel"
	note "(no $tfs/available_filter_functions or no pagepool functions"
	note "in it); the userspace figures below are all there is"
fi

t0=$(date +%s)
# shellcheck disable=SC2086 # the options, split
if "$bin" readers $args; then
	ok "bench-e2e readers $args ($(($(date +%s) - t0)) s)"
else
	not_ok "bench-e2e readers $args" "exit $?"
fi

kill "$replay"
{ wait "$replay"; } 2>/dev/null
wait_for 30 info_is allocations 0
note "debugfs stats: $(tr '\n' ' ' <"$dbg/stats")"
unload "after the benchmark"
finish
