#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Buffers shared between processes, and the ioctls' error cases.
#
# pagepool-test stress runs K processes in a ring of unix sockets: each
# allocates buffers of random sizes through both devices, checks they read
# zero, writes a pattern, verifies it, passes buffers on with SCM_RIGHTS
# (the receiver maps the fd and must see the sender's pattern, at the
# offset the sender was told), and frees them (close + munmap). When all
# are done the pool must be whole and debugfs check ok. One process alone
# is fully deterministic given the seed: two runs print the same.
# pagepool-test abi checks the documented errno of each bad request.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh
setup share "sharing tests"

for bg in 1 0; do
	insmod_ok size=64M bgzero=$bg || continue

	if [ $bg = 1 ]; then
		# The abi command prints its own ok / not ok lines.
		pagepool-test abi >"$T/abi" 2>&1
		rc=$?
		grep -E '^(not )?ok - ' "$T/abi"
		if [ $rc != 0 ] && ! grep -q '^not ok - ' "$T/abi"; then
			not_ok "abi" "exit $rc: $(tail -n 1 "$T/abi")"
		fi
	fi

	run "bgzero=$bg: stress, 2 procs x 300 ops, seed 1" \
		pagepool-test stress --procs 2 --ops 300 --seed 1
	run "bgzero=$bg: stress, 4 procs x 300 ops, seed 2" \
		pagepool-test stress --procs 4 --ops 300 --seed 2
	run "bgzero=$bg: stress, 8 procs x 150 ops, 128-page buffers, seed 3" \
		pagepool-test stress --procs 8 --ops 150 --max-pages 128 \
			--seed 3
	run "bgzero=$bg: stress, 3 procs, 1 buffer held each, seed 4" \
		pagepool-test stress --procs 3 --ops 300 --live 1 --seed 4

	# One process sending to itself: the same output for the same seed.
	pagepool-test stress --procs 1 --ops 400 --seed 5 >"$T/a" 2>&1
	rc_a=$?
	pagepool-test stress --procs 1 --ops 400 --seed 5 >"$T/b" 2>&1
	rc_b=$?
	if [ $rc_a = 0 ] && [ $rc_b = 0 ] && cmp -s "$T/a" "$T/b"; then
		ok "bgzero=$bg: stress with one process repeats given the seed"
	else
		not_ok "bgzero=$bg: stress with one process repeats given the seed" \
			"exit $rc_a / $rc_b: $(head -n 1 "$T/a") / $(head -n 1 "$T/b")"
	fi

	unload "bgzero=$bg"
done

finish
