/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pagepool-client ioctls: the interface between the sample client module
 * (pagepool-client.c) and its test program (client-test.c), through
 * /dev/pagepool_client. A sample's private ABI, for the tests only.
 */
#ifndef _PAGEPOOL_CLIENT_H
#define _PAGEPOOL_CLIENT_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PAGEPOOL_CLIENT_DEV	"/dev/pagepool_client"

/*
 * PAGEPOOL_CLIENT_IOC_GET_FD: a new O_RDWR, O_CLOEXEC file descriptor of
 * the client's buffer, written to the __u32.
 * PAGEPOOL_CLIENT_IOC_POOL_INFO: the pool's figures from
 * pagepool_get_info() (struct pagepool_pool_info: include pagepool's
 * UAPI header before this one).
 */
#define PAGEPOOL_CLIENT_IOC_GET_FD	_IOR('P', 0, __u32)
#define PAGEPOOL_CLIENT_IOC_POOL_INFO \
	_IOR('P', 1, struct pagepool_pool_info)

#endif /* _PAGEPOOL_CLIENT_H */
