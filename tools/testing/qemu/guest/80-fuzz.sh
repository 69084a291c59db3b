#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The fuzzer, tools/testing/pagepool-fuzz: several processes at once run
# seeded random operations over every entry point of the module (both
# devices' ioctls, valid and broken; mmap, munmap, mremap, mprotect,
# madvise; reads and writes; close, dup, fd passing, fork and kill -9;
# import into vgem; DMA_BUF_IOCTL_SYNC; debugfs) and check that buffers
# read zero when new and their own pattern until they go, that no two
# overlap, that every error is one the ABI allows and that debugfs check
# says ok. Then the pool must be whole, rmmod work and MemFree come back.
#
# One round on a 64M pool with bgzero=1 (OPS operations, SEED), then one
# with bgzero=0 and max_pages=3000 (OPS / 4 operations, SEED + 1), so that
# allocations between max_pages and the pool's size are refused too. The
# budget comes from the kernel command line, which `make fuzz` sets:
#   pagepool.fuzz_seed=S      the seed (default 1)
#   pagepool.fuzz_ops=N       operations in all (default 20000)
#   pagepool.fuzz_procs=P     processes at once (default 4)
#   pagepool.fuzz_timeout=SEC the fuzzer gives up and says where each
#                             process is (default 200 up to 50000
#                             operations, else 300 + OPS / 100)
# A failure prints the FAIL line (seed, process, operation) and that
# process's last operations; the same seed, processes and operations
# replay each process's sequence. The fuzzer's output shows as comments
# as it comes (so a FAIL line shows even if the guest hangs afterwards).
# Skipped when the fuzzer is not in the
# guest (/bin/pagepool-fuzz or /files/pagepool-fuzz).

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh

bin=$(guest_bin pagepool-fuzz)
if [ -z "$bin" ]; then
	ok "fuzz # SKIP pagepool-fuzz not in the guest"
	exit 0
fi
setup fuzz "fuzz tests"

# num_param NAME DEFAULT: param NAME DEFAULT (guest-lib.sh), if it is a
# number.
num_param() {
	_v=$(param "$1" "$2")
	case $_v in
	''|*[!0-9]*) echo "$2" ;;
	*) echo "$_v" ;;
	esac
}

seed=$(num_param fuzz_seed 1)
ops=$(num_param fuzz_ops 20000)
procs=$(num_param fuzz_procs 4)
if [ "$ops" -le 50000 ]; then
	tmo=$(num_param fuzz_timeout 200)
else
	tmo=$(num_param fuzz_timeout $((300 + ops / 100)))
fi

vgem_opt=--no-vgem
if load-vgem >/dev/null 2>&1 && [ -d /dev/dri ]; then
	vgem_opt=
else
	note "vgem does not load: fuzzing without the importer"
fi

# fuzz BGZERO SEED OPS [PARAM...]: one round on a fresh 64M pool, loaded
# with the PARAMs besides.
fuzz() {
	_bg=$1 _seed=$2 _ops=$3
	shift 3
	_name="fuzz bgzero=$_bg${1:+ $*} seed $_seed"

	insmod_ok size=64M bgzero="$_bg" "$@" || return
	echo 1 >"$T/rc"
	# shellcheck disable=SC2086 # $vgem_opt is empty or one word
	{ "$bin" -s "$_seed" -p "$procs" -n "$_ops" -t "$tmo" $vgem_opt \
		2>&1; echo $? >"$T/rc"; } | tee "$T/out" | sed 's/^/#   /'
	rc=$(cat "$T/rc")
	if [ "$rc" = 0 ] && [ "$(tail -n 1 "$T/out")" = ok ]; then
		ok "$_name: $_ops ops over $procs procs, $(grep '^summary:' \
			"$T/out" | sed 's/.*operations in //')"
	else
		not_ok "$_name: $_ops ops over $procs procs" \
			"$(grep -m 1 '^FAIL' "$T/out" || tail -n 1 "$T/out") (exit $rc)"
		klog | tail -n 60 | sed 's/^/#   kernel: /'
	fi
	unload "bgzero=$_bg"
}

fuzz 1 "$seed" "$ops"
fuzz 0 $((seed + 1)) $((ops / 4)) max_pages=3000

[ -n "$vgem_opt" ] || load-vgem -r >/dev/null 2>&1 ||
	note "vgem does not unload"

finish
