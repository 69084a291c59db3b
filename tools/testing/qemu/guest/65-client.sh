#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The in-kernel API (<linux/pagepool.h>), through the sample client module
# samples/pagepool-client: it gets a pool by name and allocates a buffer on
# load, and hands it out through /dev/pagepool_client. Its test program
# maps the buffer, finds it zero, writes and reads it back and imports it
# into vgem; the pool's figures count it. pagepool cannot be unloaded while
# the client is loaded, nor while a descriptor of the buffer is held after
# the client is gone; afterwards it unloads and MemFree comes back. A pool
# that does not exist is ENODEV; 0 pages or more than max_pages EINVAL,
# more than the pool ENOMEM; a failed load holds nothing.
#
# Run by tools/testing/qemu/run-guest; prints "ok - NAME" or
# "not ok - NAME: reason" lines.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh
setup client "in-kernel API client tests"

CKO=/lib/modules/pagepool-client.ko
CT=$(guest_bin pagepool-client-test)
EINVAL="Invalid argument"
ENOMEM="Cannot allocate memory"
ENODEV="No such device"

if [ ! -e "$CKO" ] || [ -z "$CT" ]; then
	not_ok "in-kernel API client tests" "no $CKO or pagepool-client-test in the guest"
	exit 0
fi

# The pool whose figures pinfo reads: pagepoolctl's --pool option, or
# nothing for the only pool.
popt=

# pinfo KEY: KEY's value in the pool's `pagepoolctl info --raw`.
pinfo() {
	# shellcheck disable=SC2086 # popt is an option and its value, or none
	pagepoolctl $popt info --raw 2>/dev/null | sed -n "s/^$1=//p"
}

# pinfo_is KEY VALUE: for wait_for.
pinfo_is() { [ "$(pinfo "$1")" = "$2" ]; }

# refcnt_is NAME N: pagepool.ko's reference count is N.
refcnt_is() {
	_r=$(cat /sys/module/pagepool/refcnt)
	if [ "$_r" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "pagepool's refcnt is $_r, not $2"
	fi
}

# client_fails NAME ERRTEXT ARGS...: insmod of the client with ARGS fails
# saying ERRTEXT, leaves no module behind and holds no pool reference and
# no buffer.
client_fails() {
	_name=$1
	_want=$2
	shift 2
	if _out=$(insmod "$CKO" "$@" 2>&1); then
		not_ok "$_name" "insmod pagepool-client.ko $* succeeded"
		rmmod pagepool_client
		return
	fi
	_r=$(cat /sys/module/pagepool/refcnt)
	case $_out in
	*"$_want"*) ;;
	*)
		not_ok "$_name" "insmod pagepool-client.ko $*: want '$_want', got '$_out'"
		return ;;
	esac
	if [ -e /sys/module/pagepool_client ]; then
		not_ok "$_name" "the client is still listed in /sys/module"
	elif [ "$_r" != 0 ]; then
		not_ok "$_name" "pagepool's refcnt is $_r after the failed load"
	elif ! pinfo_is allocations 0; then
		not_ok "$_name" "$(pinfo allocations) buffers alive"
	else
		ok "$_name"
	fi
}

# rmmod_refused NAME: rmmod pagepool fails and the pool (popt's) is still
# there.
rmmod_refused() {
	if _out=$(rmmod pagepool 2>&1); then
		not_ok "$1" "rmmod succeeded"
		return
	fi
	if [ -e /sys/module/pagepool ] && [ -n "$(pinfo pages)" ]; then
		ok "$1"
		note "  $_out"
	else
		not_ok "$1" "rmmod failed ($_out) but the pool is gone"
	fi
}

if ! out=$(load-vgem 2>&1); then
	not_ok "vgem loads" "$out"
	exit 0
fi
ok "vgem loads"

if insmod_ok size=16M; then
	free0=$(pinfo free_pages)
	client_fails "client pool=nosuch is ENODEV" "$ENODEV" pool=nosuch
	client_fails "client pages=0 is EINVAL" "$EINVAL" pages=0
	client_fails "client pages above the pool is ENOMEM" "$ENOMEM" \
		pages=8192

	if out=$(insmod "$CKO" 2>&1); then
		ok "insmod pagepool-client (16 pages)"
		# The client's use of pagepool's symbols, its pool reference
		# and its buffer.
		refcnt_is "pagepool's refcnt is 3 with the client loaded" 3
		if pinfo_is allocations 1 && pinfo_is free_pages $((free0 - 16))
		then
			ok "the pool counts the client's 16-page buffer"
		else
			not_ok "the pool counts the client's 16-page buffer" \
				"$(pinfo allocations) buffers, $(pinfo free_pages) of $free0 pages free"
		fi
		run "client buffer: mapped, zero, written, read back, vgem import" \
			"$CT" check 16
		rmmod_refused "rmmod pagepool refused while the client is loaded"

		rm -f "$T/ready" "$T/go"
		"$CT" hold "$T/ready" "$T/go" >"$T/hold.out" 2>&1 &
		holder=$!
		if wait_for 10 [ -e "$T/ready" ]; then
			ok "a descriptor of the client's buffer is held"
		else
			not_ok "a descriptor of the client's buffer is held" \
				"$(tail -n 1 "$T/hold.out")"
		fi
		run "rmmod pagepool_client with the descriptor held" \
			rmmod pagepool_client
		refcnt_is "pagepool's refcnt is 1: the held buffer's" 1
		if pinfo_is allocations 1; then
			ok "the held buffer outlives the client"
		else
			not_ok "the held buffer outlives the client" \
				"$(pinfo allocations) buffers alive"
		fi
		rmmod_refused "rmmod pagepool refused while the buffer is held"
		touch "$T/go"
		if wait "$holder"; then
			ok "the held buffer kept its bytes"
		else
			not_ok "the held buffer kept its bytes" \
				"$(tail -n 1 "$T/hold.out")"
		fi
		if wait_for 10 pinfo_is allocations 0; then
			ok "the buffer is freed once its descriptor is closed"
		else
			not_ok "the buffer is freed once its descriptor is closed" \
				"$(pinfo allocations) buffers alive"
		fi
		refcnt_is "pagepool's refcnt is 0 again" 0
	else
		not_ok "insmod pagepool-client (16 pages)" "$out"
	fi
	unload "one pool, the client loaded and unloaded"
fi

# A named pool, another size, and max_pages.
if insmod_ok pools=a:4M,b:8M:max_pages=64; then
	popt="--pool b"
	client_fails "client pages above max_pages is EINVAL" "$EINVAL" \
		pool=b pages=65
	client_fails "client pool=pagepool is ENODEV with pools a and b" \
		"$ENODEV"
	if out=$(insmod "$CKO" pool=b pages=64 2>&1); then
		ok "insmod pagepool-client pool=b pages=64"
		run "pool b's 64-page buffer: mapped, zero, written, vgem import" \
			"$CT" check 64
		rmmod_refused "rmmod pagepool refused while the client holds pool b"
		run "rmmod pagepool_client (pool b)" rmmod pagepool_client
	else
		not_ok "insmod pagepool-client pool=b pages=64" "$out"
	fi
	run "pools a, b: whole" pagepoolctl --pool b check --idle
	rmmod_ok "pools a, b: rmmod"
fi

if out=$(load-vgem -r 2>&1); then
	ok "vgem unloads"
else
	not_ok "vgem unloads" "$out"
fi

finish
