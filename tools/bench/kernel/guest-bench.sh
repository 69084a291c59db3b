#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the in-kernel benchmark (tools/bench/kernel/run), run by
# tools/testing/qemu/run-guest: loads /lib/modules/pagealloc_bench.ko with
# the parameters given on the kernel command line (as
# pagealloc_bench.NAME=VALUE), runs the benchmark by a write to its
# debugfs file "run", prints the table from "table" and unloads it.

# shellcheck source=SCRIPTDIR/../../testing/qemu/guest-lib.sh
. /lib/pagepool-tests.sh

ko=/lib/modules/pagealloc_bench.ko
dir=/sys/kernel/debug/pagealloc_bench
params=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^pagealloc_bench\.//p')
# shellcheck disable=SC2086 # one word per parameter
note insmod pagealloc_bench.ko $params

# The table goes to the kernel log too: not to the console as it comes.
level=$(cut -f 1 /proc/sys/kernel/printk)
dmesg -n 1
# shellcheck disable=SC2086
if ! out=$(insmod "$ko" $params 2>&1); then
	dmesg -n "$level"
	not_ok "kernel benchmark" "insmod: $out"
	exit 0
fi
rc=0
printf "1\n" 2>/tmp/bench.err >"$dir/run" || rc=1
dmesg -n "$level"

cat "$dir/table"
if [ $rc != 0 ]; then
	not_ok "kernel benchmark" "write to run: $(cat /tmp/bench.err)"
elif grep -q '^done in .*: ok$' "$dir/table"; then
	ok "kernel benchmark"
else
	not_ok "kernel benchmark" "$(tail -n 1 "$dir/table")"
fi
rmmod pagealloc_bench || not_ok "rmmod pagealloc_bench"
