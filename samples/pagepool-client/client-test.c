// SPDX-License-Identifier: GPL-2.0
/*
 * client-test: the userspace half of the sample client's test
 * (tools/testing/qemu/guest/65-client.sh). It takes the buffer that the
 * pagepool-client module allocated through pagepool's in-kernel API from
 * /dev/pagepool_client and checks it is a working dma-buf: mapped, zero,
 * written and read back, imported into vgem; or holds it while the
 * modules are unloaded around it.
 *
 * Usage: client-test check PAGES
 *        client-test hold READY GO
 *   check  the buffer is PAGES pages, O_RDWR and close-on-exec, zero; a
 *          pattern written through one descriptor reads back through a
 *          second; the pool's figures count it; vgem imports it and
 *          exports the same dma-buf again
 *   hold   take a descriptor and map it, write a pattern, close the
 *          device, create the file READY, wait (60 s at most) for the
 *          file GO, then check the pattern is still there
 * Exit status: 0, or one of pagepool-lib's RC_* codes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "pagepool-lib.h"
#include "pagepool-client.h"

#define TAG_CHECK	0x636c69656e74ULL
#define TAG_HOLD	0x686f6c64ULL

/* A new descriptor of the client's buffer, from the open device @dev. */
static int get_fd(int dev)
{
	__u32 fd;

	if (ioctl(dev, PAGEPOOL_CLIENT_IOC_GET_FD, &fd))
		die(RC_IOCTL, "PAGEPOOL_CLIENT_IOC_GET_FD: %s", strerror(errno));
	return fd;
}

/* @fd's size, mapped shared for reading and writing. */
static unsigned char *map_fd(int fd, size_t *len)
{
	off_t size = lseek(fd, 0, SEEK_END);
	void *p;

	if (size <= 0)
		die(RC_MAP, "lseek(SEEK_END) of the dma-buf: %s",
		    size < 0 ? strerror(errno) : "size 0");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die(RC_MAP, "mmap of %lld bytes: %s", (long long)size,
		    strerror(errno));
	*len = size;
	return p;
}

static ino_t inode_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		die(RC_SYS, "fstat: %s", strerror(errno));
	return st.st_ino;
}

/* Import @fd into vgem, export the handle again and check it is @fd's. */
static void vgem_import(int fd)
{
	struct drm_prime_handle_arg ph = { .fd = fd };
	struct drm_prime_handle_arg back = { 0 };
	struct drm_gem_close_arg gc = { 0 };
	int card = open_vgem(NULL, 1);

	if (ioctl(card, DRM_FD_TO_HANDLE_IOC, &ph))
		die(RC_IMPORT, "DRM_IOCTL_PRIME_FD_TO_HANDLE: %s",
		    strerror(errno));
	back.handle = ph.handle;
	back.flags = O_CLOEXEC;
	if (ioctl(card, DRM_HANDLE_TO_FD_IOC, &back))
		die(RC_IMPORT, "DRM_IOCTL_PRIME_HANDLE_TO_FD: %s",
		    strerror(errno));
	if (inode_of(back.fd) != inode_of(fd))
		die(RC_IMPORT, "vgem exported a different file for the import");
	close(back.fd);
	gc.handle = ph.handle;
	if (ioctl(card, DRM_GEM_CLOSE_IOC, &gc))
		die(RC_IMPORT, "DRM_IOCTL_GEM_CLOSE: %s", strerror(errno));
	close(card);
	printf("imported into vgem as handle %u and exported back\n",
	       ph.handle);
}

static int cmd_check(unsigned long long pages)
{
	struct pagepool_pool_info pi;
	unsigned char *p, *q;
	size_t len, len2, at;
	int dev, fd, fd2, fl;

	dev = open_path(PAGEPOOL_CLIENT_DEV, O_RDWR, 1);
	fd = get_fd(dev);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || (fl & O_ACCMODE) != O_RDWR)
		die(RC_DATA, "the descriptor is not O_RDWR (flags %#x)", fl);
	if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
		die(RC_DATA, "the descriptor is not close-on-exec");

	memset(&pi, 0, sizeof(pi));
	if (ioctl(dev, PAGEPOOL_CLIENT_IOC_POOL_INFO, &pi))
		die(RC_IOCTL, "PAGEPOOL_CLIENT_IOC_POOL_INFO: %s",
		    strerror(errno));
	if (!pi.page_size || pi.size != pi.pages * pi.page_size ||
	    pi.allocations < 1 || pi.free_pages + pages > pi.pages ||
	    pi.largest_free > pi.free_pages)
		die(RC_POOL, "pool info: %llu B, %llu pages, %llu free, largest %llu, %llu buffers",
		    (unsigned long long)pi.size,
		    (unsigned long long)pi.pages,
		    (unsigned long long)pi.free_pages,
		    (unsigned long long)pi.largest_free,
		    (unsigned long long)pi.allocations);
	printf("pool: %llu pages, %llu free, %llu buffers\n",
	       (unsigned long long)pi.pages, (unsigned long long)pi.free_pages,
	       (unsigned long long)pi.allocations);

	p = map_fd(fd, &len);
	if (len != pages * pi.page_size)
		die(RC_DATA, "the buffer is %zu bytes, not %llu pages", len,
		    pages);
	at = find_not(p, len, 0);
	if (at != len)
		die(RC_DATA, "byte %zu of the new buffer is %#x, not 0", at,
		    p[at]);
	pattern_fill_at(p, len, TAG_CHECK, 0);
	at = pattern_check_at(p, len, TAG_CHECK, 0);
	if (at != len)
		die(RC_DATA, "byte %zu does not read back", at);
	printf("mapped %zu bytes: zero, written and read back\n", len);

	/* A second descriptor is the same buffer. */
	fd2 = get_fd(dev);
	if (inode_of(fd2) != inode_of(fd))
		die(RC_DATA, "the second descriptor is another file");
	q = map_fd(fd2, &len2);
	at = pattern_check_at(q, len2, TAG_CHECK, 0);
	if (len2 != len || at != len)
		die(RC_DATA, "the second descriptor's mapping differs at byte %zu",
		    at);
	munmap(q, len2);
	close(fd2);
	printf("a second descriptor maps the same bytes\n");

	vgem_import(fd);
	munmap(p, len);
	close(fd);
	close(dev);
	return RC_OK;
}

static int cmd_hold(const char *ready, const char *go)
{
	unsigned char *p;
	size_t len, at;
	int dev, fd, fd_ready, waited;

	dev = open_path(PAGEPOOL_CLIENT_DEV, O_RDWR, 1);
	fd = get_fd(dev);
	close(dev);
	p = map_fd(fd, &len);
	pattern_fill_at(p, len, TAG_HOLD, 0);
	/* The device is closed: the descriptor and mapping keep the buffer. */
	fd_ready = creat(ready, 0644);
	if (fd_ready < 0)
		die(RC_SYS, "%s: %s", ready, strerror(errno));
	close(fd_ready);
	printf("holding %zu bytes\n", len);
	fflush(stdout);
	for (waited = 0; access(go, F_OK); waited++) {
		if (waited == 6000)
			die(RC_TIMEOUT, "no %s after 60 s", go);
		sleep_ms(10);
	}
	at = pattern_check_at(p, len, TAG_HOLD, 0);
	if (at != len)
		die(RC_DATA, "byte %zu changed while held", at);
	munmap(p, len);
	close(fd);
	printf("the held buffer kept its bytes\n");
	return RC_OK;
}

int main(int argc, char **argv)
{
	msg_prefix("client-test");
	if (argc == 3 && !strcmp(argv[1], "check"))
		return cmd_check(opt_num("check PAGES", argv[2], 1, ~0ULL));
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2], argv[3]);
	fprintf(stderr, "usage: client-test check PAGES | hold READY GO\n");
	return RC_USAGE;
}
