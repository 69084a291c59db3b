#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Exact address-ordered first fit (bgzero=0), through pagepool-test replay.
#
# An awk script makes a deterministic random trace of "alloc N" and
# "free P N" lines and, as it goes, the answer of a naive first-fit model
# (a sorted list of live allocations, the lowest gap that fits). The module
# must give the same offset, or "fail", for every alloc. Only the offsets
# are compared with the model: the second number of each answer (pages
# that were already zero) depends on zeroing, which the model leaves out;
# with bgzero=0 nothing zeroes free pages, so it must be 0 here. The same
# model agrees with tools/pagealloc-replay on the host (feed it the trace
# after a "grow 0 8192" line).
#
# Also: replay's error lines and malformed-line exit, the map, debugfs.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh

# The pool's size, as loaded below (size=32M).
POOL_PAGES=8192

# gen_trace SEED OPS [ORIGIN]: $T/trace and the model's answers in
# $T/expect ("P N" per successful alloc, "fail" otherwise); $T/live gets
# the pages and the runs of free pages left allocated at the end. With
# ORIGIN (the pool's first page frame, modulo 4096), 40% of the allocs
# ask for an alignment of 1 to 2048 pages ("alloc N A"): the lowest free
# run whose physical page number, ORIGIN + offset, is a multiple of A.
gen_trace() {
	rm -f "$T/trace" "$T/expect" "$T/live"
	awk -v seed="$1" -v ops="$2" -v pool=$POOL_PAGES \
	    -v aligned="${3:+1}" -v origin="${3:-0}" \
	    -v trace="$T/trace" -v expect="$T/expect" -v live="$T/live" '
	function rnd() {
		# Park-Miller: exact in awk doubles, the same everywhere.
		x = (x * 16807) % 2147483647
		return x
	}
	function size(r) {
		r = rnd() % 100
		if (r < 50)
			return 1 + rnd() % 8
		if (r < 80)
			return 1 + rnd() % 64
		if (r < 95)
			return 1 + rnd() % 700
		return 1 + rnd() % int(pool / 3)
	}
	BEGIN {
		x = seed % 2147483646 + 1
		n = 0
		used = 0
		for (op = 0; op < ops; op++) {
			r = rnd() % 100
			if (n > 0 && (r < 40 || (used * 10 > pool * 7 && r < 70))) {
				k = 1 + rnd() % n
				print "free " off[k] " " len[k] > trace
				used -= len[k]
				for (i = k; i < n; i++) {
					off[i] = off[i + 1]
					len[i] = len[i + 1]
				}
				n--
				continue
			}
			want = size()
			a = 1
			if (aligned && rnd() % 100 < 40) {
				# (busybox awk has no ^ without math support)
				for (j = rnd() % 12; j > 0; j--)
					a *= 2
				print "alloc " want " " a > trace
			} else {
				print "alloc " want > trace
			}
			prev = 0
			for (i = 1; i <= n; i++) {
				s = prev + (a - (origin + prev) % a) % a
				if (off[i] - s >= want)
					break
				prev = off[i] + len[i]
			}
			if (i > n)
				s = prev + (a - (origin + prev) % a) % a
			if (i > n && pool - s < want) {
				print "fail" > expect
				continue
			}
			prev = s
			for (j = n; j >= i; j--) {
				off[j + 1] = off[j]
				len[j + 1] = len[j]
			}
			off[i] = prev
			len[i] = want
			n++
			used += want
			print prev " " want > expect
		}
		prev = 0
		runs = 0
		for (i = 1; i <= n; i++) {
			if (off[i] > prev)
				runs++
			prev = off[i] + len[i]
		}
		if (pool > prev)
			runs++
		print used " " runs > live
	}'
	# Every operation makes a line: a generator that stopped is a failure.
	if [ "$(wc -l <"$T/trace")" != "$2" ]; then
		not_ok "trace generator, seed $1" \
			"$(wc -l <"$T/trace") lines of $2 (awk failed?)"
	fi
}

# compare NAME: $T/out (replay) against $T/expect (model), offsets only.
compare() {
	if [ "$(wc -l <"$T/out")" != "$(wc -l <"$T/expect")" ]; then
		not_ok "$1" "replay printed $(wc -l <"$T/out") answers, the model $(wc -l <"$T/expect")"
		return
	fi
	paste -d ' ' "$T/expect" "$T/out" | awk -v name="$1" '
	{
		n++
		if ($1 == "fail") {
			if ($2 != "fail") {
				print "not ok - " name ": alloc #" n ": model fail, module " $2 " " $3
				bad = 1
				exit
			}
			fails++
			next
		}
		if ($3 != $1) {
			print "not ok - " name ": alloc #" n " of " $2 " pages: model offset " $1 ", module: " $3 " " $4
			bad = 1
			exit
		}
		if ($4 !~ /^[0-9]+$/ || $4 + 0 > $2 + 0) {
			print "not ok - " name ": alloc #" n " of " $2 " pages: clean_pages " $4
			bad = 1
			exit
		}
		if ($4 != 0)
			clean++
	}
	END {
		if (!n)
			print "not ok - " name ": no answers"
		else if (!bad)
			printf "ok - %s (%d allocs, %d fail)\n", name, n, fails
		if (clean)
			printf "# %d allocs reported clean pages with bgzero=0\n", clean
	}'
}

setup firstfit "first fit tests"
insmod_ok size=32M bgzero=0 || exit 0

for seed in 1 2 3; do
	gen_trace $seed 3000
	if pagepool-test replay <"$T/trace" >"$T/out" 2>"$T/err"; then
		compare "first fit, seed $seed, against the model"
		if awk '$1 != "fail" && $2 != 0 { exit 1 }' "$T/out"; then
			ok "seed $seed: no page counted clean with bgzero=0"
		else
			not_ok "seed $seed: no page counted clean with bgzero=0" \
				"$(awk '$1 != "fail" && $2 != 0' "$T/out" | head -n 1)"
		fi
	else
		not_ok "first fit, seed $seed, against the model" \
			"replay failed: $(tail -n 1 "$T/err")"
	fi
	run "seed $seed: pool whole after replay, debugfs check ok" \
		pagepoolctl check --idle
done

# Aligned first fit: the model knows where the pool lies physically.
phys=$(dmesg | sed -n 's/.*pagepool: 32 MiB at \(0x[0-9a-f]*\) .*/\1/p' |
	tail -n 1)
if [ -n "$phys" ]; then
	origin=$(((phys >> 12) % 4096))
	note "pool at $phys: first page frame $((phys >> 12)), $origin modulo 4096"
	for seed in 4 5 6; do
		gen_trace $seed 3000 "$origin"
		if pagepool-test replay <"$T/trace" >"$T/out" 2>"$T/err"; then
			compare "aligned first fit, seed $seed, against the model"
		else
			not_ok "aligned first fit, seed $seed, against the model" \
				"replay failed: $(tail -n 1 "$T/err")"
		fi
		run "seed $seed: pool whole after the aligned replay" \
			pagepoolctl check --idle
	done
else
	not_ok "aligned first fit" "no load line with the pool's address in dmesg"
fi

# What a trace leaves allocated, as the map and pool info see it.
gen_trace 9 1500
pagepool-test replay --hold 60 <"$T/trace" >"$T/out" 2>"$T/err" &
holder=$!
wait_for 30 holding "$T/err"
set -- $(cat "$T/live")
pagepoolctl map >"$T/map" 2>&1
sed 's/^/#   /' "$T/map"
if grep -q "allocated $1 " "$T/map" && grep -q "^runs: *$2 free run" "$T/map"; then
	ok "map after a trace: $1 pages allocated in the model's places, $2 free runs"
else
	not_ok "map after a trace" \
		"model: $1 allocated, $2 free runs; map: $(grep -E '^(pages|runs):' "$T/map" | tr '\n' ' ')"
fi
if info_is free_pages $((POOL_PAGES - $1)); then
	ok "pool info after a trace: $((POOL_PAGES - $1)) pages free"
else
	not_ok "pool info after a trace" \
		"$(pagepoolctl info --raw | tr '\n' ' ')"
fi
run "debugfs check ok with the trace's allocations held" pagepoolctl check
kill $holder
wait $holder 2>/dev/null
run "pool whole after the held trace" pagepoolctl check --idle

# Rejected lines print "error ..." and the run goes on.
cat >"$T/trace" <<EOF
# comment line, then a blank one

alloc 4   # trailing comment
free 1 4
free 0 3
alloc 0
free 0 4
alloc 2
EOF
pagepool-test replay <"$T/trace" >"$T/out" 2>"$T/err"
rc=$?
got=$(awk '{ printf "%s%s", sep, $1; sep = "," }' "$T/out")
if [ $rc = 0 ] && [ "$got" = "0,error,error,error,0" ]; then
	ok "replay: bad frees and alloc 0 print error lines"
else
	not_ok "replay: bad frees and alloc 0 print error lines" \
		"exit $rc, first words '$got'"
fi
printf 'alloc 1\nbogus 3\nalloc 1\n' | pagepool-test replay >"$T/out" 2>"$T/err"
rc=$?
if [ $rc = 2 ] && grep -q 'line 2' "$T/err" && [ "$(wc -l <"$T/out")" = 1 ]; then
	ok "replay: a malformed line exits 2 naming the line"
else
	not_ok "replay: a malformed line exits 2 naming the line" \
		"exit $rc, stderr '$(cat "$T/err")', $(wc -l <"$T/out") answers"
fi
printf 'alloc x\n' | pagepool-test replay >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then
	ok "replay: a bad number exits 2"
else
	not_ok "replay: a bad number exits 2" "exit $rc"
fi
run "pool whole after the error cases" pagepoolctl check --idle

# The map of one held buffer of 700 pages: chunk 0 full, chunk 1 holds 188
# pages (3 tenths), the rest free; with bgzero=0 no free page is zero.
pagepoolctl alloc 700 --hold 60 >"$T/hold" 2>&1 &
holder=$!
wait_for 10 holding "$T/hold"
pagepoolctl map >"$T/map" 2>&1
row=$(awk '$1 == "0" { print $2; exit }' "$T/map")
case $row in
'#3::::::'*) ok "map shows the held buffer" ;;
*) not_ok "map shows the held buffer" "first row '$row'"
   sed 's/^/# /' "$T/map" ;;
esac
if grep -q "allocated 700 " "$T/map"; then
	ok "map totals count 700 allocated pages"
else
	not_ok "map totals count 700 allocated pages" \
		"$(grep '^pages:' "$T/map")"
fi
if grep -q '^level 0:' /sys/kernel/debug/pagepool/summary; then
	ok "debugfs summary has its level lines"
else
	not_ok "debugfs summary has its level lines" \
		"$(head -n 1 /sys/kernel/debug/pagepool/summary)"
fi
if grep -q '^chunk 1 used 512+188 ' /sys/kernel/debug/pagepool/chunks; then
	ok "debugfs chunks shows the buffer's runs"
else
	not_ok "debugfs chunks shows the buffer's runs" \
		"$(sed -n 2p /sys/kernel/debug/pagepool/chunks)"
fi
kill -9 $holder
wait $holder 2>/dev/null
run "pool whole after the map test" pagepoolctl check --idle

rmmod_ok "rmmod"
finish
