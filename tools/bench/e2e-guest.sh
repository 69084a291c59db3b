#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make bench-e2e` (a benchmark, not a test: it is not
# in the QEMU suite's guest/ directory): load pagepool.ko with a pool
# large enough for 256 MiB buffers and more, wait until the background
# zeroer has zeroed the whole pool (so that the first figures are those of
# an idle pool), run tools/bench/bench-e2e against the kernel's system
# heap, check the pool is whole again, and unload. The tables are
# bench-e2e's standard output, as it comes; the TAP lines say whether each
# step worked.
#
# From the kernel command line, which `make bench-e2e` sets:
#   pagepool.bench_pool=SIZE  the pool (default 1G)
#   pagepool.bench_args=ARGS  bench-e2e's options, '~' for each space
#                             (say --runs~20~--big-runs~5); a first word
#                             that is not an option is the command run
#                             instead of all (say hugemap~--hugemap-runs~9)
# Run by tools/testing/qemu/run-guest, which puts bench-e2e in the guest
# as /bin/bench-e2e or /files/bench-e2e.

# shellcheck source=SCRIPTDIR/../testing/qemu/guest-lib.sh
. /lib/pagepool-tests.sh

bin=$(guest_bin bench-e2e)
if [ -z "$bin" ]; then
	not_ok "bench-e2e" "not in the guest (/bin/bench-e2e)"
	exit 0
fi
setup bench "bench-e2e"

pool=$(param bench_pool 1G)
args=$(param bench_args '' | tr '~' ' ')
cmd=all
case $args in
[!-]*)
	cmd=${args%% *}
	args=${args#"$cmd"}
	args=${args# }
	;;
esac

# zeroed: every page of the pool is free and known to be zero.
# shellcheck disable=SC2317 # called by wait_for
zeroed() {
	[ -n "$(info pages)" ] && [ "$(info zeroed_pages)" = "$(info pages)" ]
}

insmod_ok size="$pool" || finish
note "$(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, $(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo) MiB"
t0=$(date +%s)
if wait_for 900 zeroed; then
	ok "the worker zeroed the $pool pool in $(($(date +%s) - t0)) s"
else
	not_ok "pool zeroed" "$(info zeroed_pages) of $(info pages) pages after $(($(date +%s) - t0)) s"
fi
t0=$(date +%s)
# shellcheck disable=SC2086 # the options, split
if "$bin" "$cmd" $args; then
	ok "bench-e2e $cmd${args:+ $args} ($(($(date +%s) - t0)) s)"
else
	not_ok "bench-e2e $cmd${args:+ $args}" "exit $?"
fi
note "debugfs stats: $(tr '\n' ' ' </sys/kernel/debug/pagepool/stats)"
unload "after the benchmark"
finish
