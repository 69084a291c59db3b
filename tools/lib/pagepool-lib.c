// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool-lib: what the userspace tools that drive the pagepool module
 * (tools/pagepoolctl, tools/testing/pagepool-test,
 * tools/testing/pagepool-fuzz and tools/bench/bench-e2e) share. That is
 * how they talk to the module: its devices, buffers and debugfs, with the
 * messages, exit codes and command line handling that go with them, and
 * the importer they test with (vgem).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "pagepool-lib.h"

/* The default paths, told apart by address from those options give. */
static const char default_pool_path[] = POOL_DEV;
static const char default_heap_path[] = HEAP_DEV;
static const char default_debugfs_path[] = DEBUGFS_DIR;

const char *pool_path = default_pool_path;
const char *heap_path = default_heap_path;
const char *debugfs_path = default_debugfs_path;
const char *pool_name;

/* The chosen pool's paths, when it is not the one named pagepool. */
static char pool_path_buf[64];
static char heap_path_buf[64];
static char debugfs_path_buf[64];

/* Prefix of every message: the program, or a stress process. */
static char who[48];

/* What each exit code means, for --help. */
static const char * const rc_text[] = {
	[RC_OK] = "success",
	[RC_INTERNAL] = "out of memory in the tool",
	[RC_USAGE] = "bad arguments",
	[RC_OPEN] = "a device or debugfs file cannot be opened or read",
	[RC_IOCTL] = "an ioctl failed (other than for lack of room)",
	[RC_NOMEM] = "no room in the pool",
	[RC_MAP] = "mmap, munmap or DMA_BUF_IOCTL_SYNC failed, or\n"
		   "     MAP_PRIVATE was allowed",
	[RC_DATA] = "a buffer did not hold the expected bytes",
	[RC_POOL] = "the pool is not whole or debugfs check is not ok",
	[RC_SYS] = "a system call failed (fork, socket, ...)",
	[RC_IMPORT] = "the vgem import failed or the buffer's lifetime was\n"
		      "     wrong",
	[RC_ABI] = "an ioctl error case answered wrongly (abi)",
	[RC_CRASH] = "a stress process died of a signal",
	[RC_TIMEOUT] = "stress timed out",
};

/* ---- messages and memory ---- */

/**
 * msg_prefix() - set what every message starts with
 * @fmt: printf format of the prefix (the program's name, say)
 *
 * tool_main() sets the program's name; a child process may name itself.
 */
void msg_prefix(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(who, sizeof(who), fmt, ap);
	va_end(ap);
}

static void vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", who);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/**
 * warnx() - print a message on standard error
 * @fmt: printf format of the message, without the trailing newline
 *
 * The line starts with the prefix msg_prefix() set.
 */
void warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/**
 * die() - print a message as warnx() does and exit
 * @rc: the exit code, one of RC_*
 * @fmt: printf format of the message
 */
noreturn void die(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(rc);
}

/**
 * xcalloc() - calloc() that dies (RC_INTERNAL) when out of memory
 * @n: number of elements; 0 is taken as 1
 * @size: size of an element; 0 is taken as 1
 *
 * Return: zeroed memory, to be freed with free().
 */
void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die(RC_INTERNAL, "out of memory");
	return p;
}

/**
 * xrealloc() - resize an array, dying (RC_INTERNAL) when out of memory
 * @p: the array, or NULL
 * @n: the number of elements it is to hold
 * @size: size of an element
 *
 * Return: the array, moved or not.
 */
void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		die(RC_INTERNAL, "out of memory");
	p = realloc(p, n && size ? n * size : 1);
	if (!p)
		die(RC_INTERNAL, "out of memory");
	return p;
}

/* ---- command line ---- */

/**
 * parse_ull() - parse a whole number (decimal, 0x hex or 0 octal)
 * @s: the text: no sign, no space, nothing after the number
 * @val: where the number goes
 *
 * Return: 0, or -1 when @s is not such a number.
 */
int parse_ull(const char *s, unsigned long long *val)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*val = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	return 0;
}

/**
 * opt_num() - parse an option's number, dying (RC_USAGE) when it is bad
 * @name: the option, for the message
 * @s: its value, or NULL when the command line ended before it
 * @min: the smallest value allowed
 * @max: the largest value allowed
 *
 * Return: the number, in [@min, @max].
 */
unsigned long long opt_num(const char *name, const char *s,
			   unsigned long long min, unsigned long long max)
{
	unsigned long long v;

	if (!s)
		die(RC_USAGE, "%s needs a value (see --help)", name);
	if (parse_ull(s, &v) || v < min || v > max)
		die(RC_USAGE, "bad value '%s' for %s: expected %llu to %llu",
		    s, name, min, max);
	return v;
}

static void print_usage(const struct tool *t, FILE *f)
{
	int rc;

	fprintf(f, "usage: %s [OPTIONS] COMMAND [ARGS]\n\n%s\n\nCommands:\n%s",
		t->name, t->about, t->commands);
	fprintf(f,
		"\n"
		"Options:\n"
		"  --pool NAME         the pool to use; without it, the only\n"
		"                      one there is (with several, an error\n"
		"                      lists them). Pool NAME has\n"
		"                      " POOL_DEV "-NAME,\n"
		"                      " HEAP_DEV "-NAME and debugfs\n"
		"                      " DEBUGFS_DIR "/NAME; the pool\n"
		"                      named " DEFAULT_POOL " has the paths below\n"
		"  --dev PATH          pagepool device (" POOL_DEV ")\n"
		"  --heap-dev PATH     heap device (" HEAP_DEV ")\n"
		"  --debugfs DIR       debugfs directory (" DEBUGFS_DIR ")\n"
		"                      (these three override the pool's)\n"
		"  -h, --help          this help\n"
		"\n"
		"Exit codes:\n");
	for (rc = 0; rc <= t->last_rc && rc < (int)ARRAY_SIZE(rc_text); rc++) {
		fprintf(f, "%3d  %s", rc, rc_text[rc]);
		if (rc == RC_USAGE && t->bad_input)
			fprintf(f, ", or %s", t->bad_input);
		fputc('\n', f);
	}
}

/**
 * tool_main() - run one command of a tool, as its main() does
 * @t: the tool
 * @argc: argument count
 * @argv: global options (--pool, --dev, --heap-dev, --debugfs, --help),
 *        then the command and its arguments
 *
 * Chooses the pool (pool_select()) before the command runs, except for
 * @t->poolless without --pool.
 *
 * Return: the command's exit code, or RC_USAGE when there is none; an
 * unknown option or command exits with RC_USAGE.
 */
int tool_main(const struct tool *t, int argc, char **argv)
{
	const struct tool_cmd *cmd = NULL;
	const char *pool = NULL;
	size_t i;
	int a, rc;

	msg_prefix("%s", t->name);
	signal(SIGPIPE, SIG_IGN);
	for (a = 1; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			print_usage(t, stdout);
			return 0;
		}
		if (a + 1 >= argc)
			die(RC_USAGE, "%s needs a value (see --help)", argv[a]);
		if (!strcmp(argv[a], "--pool"))
			pool = argv[++a];
		else if (!strcmp(argv[a], "--dev"))
			pool_path = argv[++a];
		else if (!strcmp(argv[a], "--heap-dev"))
			heap_path = argv[++a];
		else if (!strcmp(argv[a], "--debugfs"))
			debugfs_path = argv[++a];
		else
			die(RC_USAGE, "unknown option '%s' (see --help)",
			    argv[a]);
	}
	if (a == argc) {
		print_usage(t, stderr);
		return RC_USAGE;
	}
	for (i = 0; i < t->ncmds && !cmd; i++)
		if (!strcmp(argv[a], t->cmds[i].name))
			cmd = &t->cmds[i];
	if (!cmd)
		die(RC_USAGE, "unknown command '%s' (see --help)", argv[a]);
	if (pool || !t->poolless || strcmp(cmd->name, t->poolless))
		pool_select(pool);
	rc = cmd->fn(argc - a, argv + a);
	if (fflush(stdout))
		die(RC_SYS, "writing output: %s", strerror(errno));
	return rc;
}

/* ---- pools ---- */

/* Whether @name can be a pool's: 1 to POOL_NAME_MAX of [a-z0-9_-]. */
static int good_pool_name(const char *name)
{
	size_t n;

	for (n = 0; name[n]; n++)
		if (!((name[n] >= 'a' && name[n] <= 'z') ||
		      (name[n] >= '0' && name[n] <= '9') ||
		      name[n] == '_' || name[n] == '-'))
			return 0;
	return n >= 1 && n <= POOL_NAME_MAX;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/*
 * Add to @names (of *@n) the pools directory @dir names: its subdirectories
 * when @dev is 0; else its device nodes DEFAULT_POOL (that pool) and
 * DEFAULT_POOL-NAME (pool NAME).
 */
static void list_dir(const char *dir, int dev, char ***names, size_t *n)
{
	size_t plen = strlen(DEFAULT_POOL);
	char path[PATH_MAX];
	struct dirent *e;
	const char *name;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		name = e->d_name;
		if (dev && !strcmp(name, DEFAULT_POOL))
			;
		else if (dev && !strncmp(name, DEFAULT_POOL "-", plen + 1))
			name += plen + 1;
		else if (dev)
			continue;
		if (!good_pool_name(name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) ||
		    (dev ? !S_ISCHR(st.st_mode) : !S_ISDIR(st.st_mode)))
			continue;
		*names = xrealloc(*names, *n + 1, sizeof(**names));
		(*names)[*n] = strdup(name);
		if (!(*names)[*n])
			die(RC_INTERNAL, "out of memory");
		(*n)++;
	}
	closedir(d);
}

/**
 * pool_list() - the pools the loaded module has
 * @names: set to their names, sorted; free them with pool_list_free()
 *
 * From the directories of /sys/kernel/pagepool when there are any, else
 * from those of debugfs (root only), else from the device nodes in /dev.
 *
 * Return: how many there are; 0 when the module is not loaded.
 */
size_t pool_list(char ***names)
{
	size_t n = 0;

	*names = NULL;
	list_dir(SYSFS_DIR, 0, names, &n);
	if (!n)
		list_dir(DEBUGFS_DIR, 0, names, &n);
	if (!n)
		list_dir("/dev", 1, names, &n);
	if (n)
		qsort(*names, n, sizeof(**names), name_cmp);
	return n;
}

/**
 * pool_list_free() - free what pool_list() returned
 * @names: the names
 * @n: how many
 */
void pool_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/**
 * pool_names_text() - pool names for a message: "a, b, c"
 * @names: the names
 * @n: how many
 *
 * Return: the text, to be freed with free().
 */
char *pool_names_text(char **names, size_t n)
{
	size_t len = 1, i;
	char *text;

	for (i = 0; i < n; i++)
		len += strlen(names[i]) + 2;
	text = xcalloc(len, 1);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(text, ", ");
		strcat(text, names[i]);
	}
	return text;
}

/**
 * pool_dev_path() - the path of a pool's device (PAGEPOOL_IOC_*)
 * @name: the pool
 * @buf: where the path goes
 * @size: its size
 *
 * Return: @buf: /dev/pagepool-NAME, or /dev/pagepool for the pool named
 * pagepool.
 */
const char *pool_dev_path(const char *name, char *buf, size_t size)
{
	if (!strcmp(name, DEFAULT_POOL))
		snprintf(buf, size, "%s", POOL_DEV);
	else
		snprintf(buf, size, "%s-%s", POOL_DEV, name);
	return buf;
}

/**
 * pool_select() - choose the pool whose devices and debugfs are used
 * @name: its name (--pool), or NULL for the only pool there is
 *
 * Sets pool_name, and pool_path, heap_path and debugfs_path where no
 * option gave them. The pool named pagepool has the plain paths
 * (/dev/pagepool, /dev/dma_heap/pagepool, debugfs' top level, where its
 * files are linked); pool NAME has /dev/pagepool-NAME,
 * /dev/dma_heap/pagepool-NAME and debugfs' NAME/. Without @name and
 * without pools (the module is not loaded) the choice is pagepool, whose
 * device then fails to open saying so.
 *
 * Dies with RC_USAGE for a bad @name, or when @name is NULL and there are
 * several pools (listing them); with RC_OPEN when no pool is named @name.
 */
void pool_select(const char *name)
{
	int need = pool_path == default_pool_path ||
		   heap_path == default_heap_path ||
		   debugfs_path == default_debugfs_path;
	char **names = NULL, *text;
	size_t n = 0, i;

	if (name && !good_pool_name(name))
		die(RC_USAGE, "--pool %s: a pool name is 1 to %d characters of a-z, 0-9, _ and -",
		    name, POOL_NAME_MAX);
	if (name || need)
		n = pool_list(&names);
	for (i = 0; name && i < n && strcmp(names[i], name); i++)
		;
	if (name && n && i == n) {
		text = pool_names_text(names, n);
		die(RC_OPEN, "no pool named '%s'; the pools are %s", name,
		    text);
	}
	if (!name && n > 1) {
		text = pool_names_text(names, n);
		die(RC_USAGE, "several pools: %s; choose one with --pool NAME",
		    text);
	}
	if (!name)
		name = n ? names[0] : DEFAULT_POOL;
	pool_name = strdup(name);
	pool_list_free(names, n);
	if (!pool_name)
		die(RC_INTERNAL, "out of memory");
	if (!strcmp(pool_name, DEFAULT_POOL))
		return;
	if (pool_path == default_pool_path)
		pool_path = pool_dev_path(pool_name, pool_path_buf,
					  sizeof(pool_path_buf));
	if (heap_path == default_heap_path) {
		snprintf(heap_path_buf, sizeof(heap_path_buf), "%s-%s",
			 HEAP_DEV, pool_name);
		heap_path = heap_path_buf;
	}
	if (debugfs_path == default_debugfs_path) {
		snprintf(debugfs_path_buf, sizeof(debugfs_path_buf), "%s/%s",
			 DEBUGFS_DIR, pool_name);
		debugfs_path = debugfs_path_buf;
	}
}

/* ---- devices and buffers ---- */

/**
 * open_path() - open a device or file, close-on-exec
 * @path: what to open
 * @flags: open() flags
 * @must: die (RC_OPEN) when it cannot be opened
 *
 * Return: the fd, or -1 (with errno set) when it cannot be opened and
 * @must is 0.
 */
int open_path(const char *path, int flags, int must)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0 && must)
		die(RC_OPEN, "cannot open %s: %s%s", path, strerror(errno),
		    errno == ENOENT ? " (is pagepool.ko loaded?)" : "");
	return fd;
}

/**
 * pool_info() - PAGEPOOL_IOC_POOL_INFO, dying (RC_IOCTL) when it fails
 * @dev: the open /dev/pagepool
 * @pi: where the pool's state goes
 */
void pool_info(int dev, struct pagepool_pool_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	if (ioctl(dev, PAGEPOOL_IOC_POOL_INFO, pi) < 0)
		die(RC_IOCTL, "PAGEPOOL_IOC_POOL_INFO on %s: %s", pool_path,
		    strerror(errno));
}

/**
 * ctx_open() - open the devices and learn the page size
 * @cx: what to fill in
 * @want_heap: open the heap device too (it must open)
 * @heap_only: /dev/pagepool may be missing (then @cx->dev is -1)
 *
 * Dies when a device that must open does not, or when the pool's page size
 * is not the CPU's.
 */
void ctx_open(struct ctx *cx, int want_heap, int heap_only)
{
	struct pagepool_pool_info pi;

	cx->page_size = sysconf(_SC_PAGESIZE);
	cx->dev = open_path(pool_path, O_RDWR, !heap_only);
	cx->heap = want_heap ? open_path(heap_path, O_RDWR, 1) : -1;
	if (cx->dev < 0) {
		warnx("cannot open %s (%s): no buffer information",
		      pool_path, strerror(errno));
		return;
	}
	pool_info(cx->dev, &pi);
	if (pi.page_size != cx->page_size)
		die(RC_POOL, "pool page size %llu is not the CPU page size %zu",
		    (unsigned long long)pi.page_size, cx->page_size);
}

/**
 * pool_alloc() - allocate pages from /dev/pagepool (PAGEPOOL_IOC_ALLOC)
 * @dev: the open /dev/pagepool
 * @pages: how many
 * @fd_flags: the dma-buf fd's flags
 * @b: the buffer, filled in (fd -1 on failure)
 *
 * Return: 0 or a negative errno.
 */
int pool_alloc(int dev, unsigned long long pages, __u32 fd_flags,
	       struct pbuf *b)
{
	return pool_alloc_aligned(dev, pages, 0, 0, fd_flags, b);
}

/**
 * pool_alloc_aligned() - pool_alloc() at a physical alignment, with flags
 * @dev: the open /dev/pagepool
 * @pages: how many
 * @align: 0 or 1 for none, else a power of two of pages
 * @flags: PAGEPOOL_ALLOC_* flags
 * @fd_flags: flags for the new fd
 * @b: the buffer, filled in (fd -1 on failure)
 *
 * Return: 0 or a negative errno.
 */
int pool_alloc_aligned(int dev, unsigned long long pages,
		       unsigned long long align, __u64 flags, __u32 fd_flags,
		       struct pbuf *b)
{
	struct pagepool_alloc a;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	memset(&a, 0, sizeof(a));
	a.pages = pages;
	a.align = align;
	a.flags = flags;
	a.fd_flags = fd_flags;
	if (ioctl(dev, PAGEPOOL_IOC_ALLOC, &a) < 0)
		return -errno;
	b->fd = (int)a.fd;
	b->pages = pages;
	b->offset = a.offset;
	b->clean = a.clean_pages;
	b->phys = UNKNOWN;
	return 0;
}

/**
 * heap_alloc() - allocate pages through the dma-buf heap
 * @heap: the open heap device
 * @pages: how many
 * @page_size: the page size
 * @b: the buffer, filled in (fd -1 on failure)
 *
 * Return: 0 or a negative errno.
 */
int heap_alloc(int heap, unsigned long long pages, size_t page_size,
	       struct pbuf *b)
{
	struct dma_heap_allocation_data d;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if (pages > (~0ULL) / page_size)
		return -EOVERFLOW;
	memset(&d, 0, sizeof(d));
	d.len = pages * page_size;
	d.fd_flags = O_RDWR | O_CLOEXEC;
	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d) < 0)
		return -errno;
	b->fd = (int)d.fd;
	b->heap = 1;
	b->pages = pages;
	b->offset = UNKNOWN;
	b->clean = UNKNOWN;
	b->phys = UNKNOWN;
	return 0;
}

/**
 * buffer_info() - fill in a buffer's place in the pool
 * @dev: the open /dev/pagepool
 * @b: the buffer; its offset and phys are filled in
 *
 * PAGEPOOL_IOC_BUFFER_INFO; dies (RC_POOL) when the answer contradicts
 * what the allocation said.
 *
 * Return: 0 or a negative errno.
 */
int buffer_info(int dev, struct pbuf *b)
{
	struct pagepool_buffer_info bi;

	memset(&bi, 0, sizeof(bi));
	bi.fd = b->fd;
	if (ioctl(dev, PAGEPOOL_IOC_BUFFER_INFO, &bi) < 0)
		return -errno;
	if (bi.pages != b->pages)
		die(RC_POOL, "buffer info says %llu pages, allocated %llu",
		    (unsigned long long)bi.pages, b->pages);
	if (b->offset != UNKNOWN && bi.offset != b->offset)
		die(RC_POOL, "buffer info says offset %llu, allocation said %llu",
		    (unsigned long long)bi.offset, b->offset);
	b->offset = bi.offset;
	b->phys = bi.phys;
	return 0;
}

/**
 * print_buffer() - print where a buffer lies, as one key=value line
 * @b: the buffer
 */
void print_buffer(const struct pbuf *b)
{
	printf("offset=%llu pages=%llu", b->offset, b->pages);
	if (b->clean != UNKNOWN)
		printf(" clean_pages=%llu", b->clean);
	if (b->phys != UNKNOWN && b->phys)
		printf(" phys=0x%llx", b->phys);
	printf(" device=%s\n", b->heap ? heap_path : pool_path);
}

/**
 * buf_map() - map a whole buffer MAP_SHARED, dying (RC_MAP) when it fails
 * @b: the buffer; its map and len are filled in
 * @page_size: the page size
 */
void buf_map(struct pbuf *b, size_t page_size)
{
	void *p;

	b->len = b->pages * page_size;
	p = mmap(NULL, b->len, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (p == MAP_FAILED)
		die(RC_MAP, "mmap of %llu pages (MAP_SHARED): %s", b->pages,
		    strerror(errno));
	b->map = p;
}

/**
 * buf_sync() - DMA_BUF_IOCTL_SYNC for reading and writing
 * @b: the buffer
 * @flags: DMA_BUF_SYNC_START or DMA_BUF_SYNC_END
 *
 * Dies (RC_MAP) when the ioctl fails.
 */
void buf_sync(const struct pbuf *b, __u64 flags)
{
	struct dma_buf_sync s;
	int ret;

	memset(&s, 0, sizeof(s));
	s.flags = flags | DMA_BUF_SYNC_RW;
	do {
		ret = ioctl(b->fd, DMA_BUF_IOCTL_SYNC, &s);
	} while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	if (ret < 0)
		die(RC_MAP, "DMA_BUF_IOCTL_SYNC %s: %s",
		    flags & DMA_BUF_SYNC_END ? "end" : "start",
		    strerror(errno));
}

/**
 * pool_sync() - PAGEPOOL_IOC_SYNC: sync part of a buffer
 * @dev: the open /dev/pagepool
 * @fd: the buffer's fd
 * @flags: DMA_BUF_SYNC_* flags
 * @offset: first byte of the range
 * @len: bytes in the range
 *
 * Return: 0 or a negative errno (EINTR and EAGAIN are retried).
 */
int pool_sync(int dev, int fd, __u64 flags, __u64 offset, __u64 len)
{
	struct pagepool_sync s;
	int ret;

	memset(&s, 0, sizeof(s));
	s.fd = fd;
	s.flags = flags;
	s.offset = offset;
	s.len = len;
	do {
		ret = ioctl(dev, PAGEPOOL_IOC_SYNC, &s);
	} while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	return ret < 0 ? -errno : 0;
}

/**
 * buf_release() - unmap a buffer and close its fd, whichever it has
 * @b: the buffer
 */
void buf_release(struct pbuf *b)
{
	if (b->map && munmap(b->map, b->len))
		die(RC_MAP, "munmap: %s", strerror(errno));
	b->map = NULL;
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

/* ---- buffer contents ---- */

/**
 * find_not() - find the first byte that is not a given value
 * @p: the bytes
 * @len: how many
 * @val: the value
 *
 * Return: the index of the first byte of @p[0, @len) that is not @val, or
 * @len.
 */
size_t find_not(const unsigned char *p, size_t len, unsigned char val)
{
	unsigned long long word = val * 0x0101010101010101ULL;
	size_t i = 0;

	for (; i + 8 <= len; i += 8)
		if (*(const unsigned long long *)(p + i) != word)
			break;
	for (; i < len; i++)
		if (p[i] != val)
			break;
	return i;
}

/**
 * pattern_word() - word @k of the pattern for @tag
 * @tag: the pattern's tag
 * @k: the word's index from the start of the buffer
 *
 * Not a random generator (the random tags come from splitmix64,
 * tools/lib/rand.h): a fixed mixing of the word's index into the tag, so
 * that every word of a buffer differs and a page that lands at the wrong
 * place or in the wrong buffer shows. The odd multiplier (2^64 / phi)
 * spreads the index over the whole word.
 *
 * Return: the word.
 */
unsigned long long pattern_word(unsigned long long tag, size_t k)
{
	unsigned long long i = k;

	return tag ^ (i * 0x9e3779b97f4a7c15ULL) ^ (i << 40);
}

/**
 * pattern_fill_at() - write part of a buffer's pattern
 * @p: where the part is mapped
 * @len: its length in bytes, a multiple of 8
 * @tag: the buffer's tag
 * @from: the byte offset of @p in the buffer, a multiple of 8
 */
void pattern_fill_at(unsigned char *p, size_t len, unsigned long long tag,
		     size_t from)
{
	unsigned long long *w = (unsigned long long *)p;
	size_t k;

	for (k = 0; k < len / 8; k++)
		w[k] = pattern_word(tag, from / 8 + k);
}

/**
 * pattern_check_at() - check part of a buffer holds its pattern
 * @p: where the part is mapped
 * @len: its length in bytes, a multiple of 8
 * @tag: the buffer's tag
 * @from: the byte offset of @p in the buffer, a multiple of 8
 *
 * Return: the byte offset from @p of the first word that breaks the
 * pattern, or @len.
 */
size_t pattern_check_at(const unsigned char *p, size_t len,
			unsigned long long tag, size_t from)
{
	const unsigned long long *w = (const unsigned long long *)p;
	size_t k;

	for (k = 0; k < len / 8; k++)
		if (w[k] != pattern_word(tag, from / 8 + k))
			return k * 8;
	return len;
}

/**
 * pattern_fill() - write a buffer's pattern, given by its tag
 * @b: the buffer, mapped
 */
void pattern_fill(struct pbuf *b)
{
	pattern_fill_at(b->map, b->len, b->tag, 0);
}

/**
 * pattern_check() - check a buffer holds the pattern of its tag
 * @b: the buffer, mapped
 *
 * Return: the byte offset of the first word that breaks the pattern, or
 * @b->len.
 */
size_t pattern_check(const struct pbuf *b)
{
	return pattern_check_at(b->map, b->len, b->tag, 0);
}

/* ---- files, debugfs and the pool's state ---- */

/**
 * read_file() - read a whole file into memory
 * @path: the file
 * @must: die (RC_OPEN) when it cannot be opened
 *
 * Dies (RC_OPEN) when reading fails.
 *
 * Return: its text, NUL-terminated, to be freed with free(); NULL when it
 * cannot be opened and @must is 0.
 */
char *read_file(const char *path, int must)
{
	size_t cap = 8192, n = 0;
	char *buf = xcalloc(cap, 1);
	ssize_t got;
	int fd = open_path(path, O_RDONLY, must);

	if (fd < 0) {
		free(buf);
		return NULL;
	}
	for (;;) {
		if (cap - n < 4096) {
			cap *= 2;
			buf = xrealloc(buf, cap, 1);
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			die(RC_OPEN, "cannot read %s: %s", path,
			    strerror(errno));
		if (!got)
			break;
		n += got;
	}
	close(fd);
	buf[n] = '\0';
	return buf;
}

/**
 * fold_vmstat() - fold the CPUs' pending counts into /proc/meminfo
 *
 * Through vm.stat_refresh (root only): without it, figures such as
 * PageTables may lag by a few hundred kB per CPU.
 *
 * Return: 1, or 0 (errno set) when that cannot be done.
 */
int fold_vmstat(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	int done;

	if (fd < 0)
		return 0;
	done = write(fd, "1", 1) == 1;
	close(fd);
	return done;
}

/**
 * pagetables_kb() - PageTables of /proc/meminfo, in kB
 *
 * Exact where fold_vmstat() can fold the CPUs' counts in first. Dies
 * (RC_OPEN) when the line is missing.
 *
 * Return: the figure.
 */
long long pagetables_kb(void)
{
	long long kb;
	char *m, *p;

	fold_vmstat();
	m = read_file("/proc/meminfo", 1);
	p = strstr(m, "\nPageTables:");
	kb = p ? strtoll(p + 12, NULL, 10) : 0;
	free(m);
	if (!p)
		die(RC_OPEN, "/proc/meminfo has no PageTables line");
	return kb;
}

/**
 * debugfs_file() - read a whole file of the pool's debugfs directory
 * @name: the file, such as "stats"
 * @must: die (RC_OPEN) when it cannot be opened
 *
 * Return: its text, to be freed with free(); NULL when it cannot be
 * opened and @must is 0.
 */
char *debugfs_file(const char *name, int must)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", debugfs_path, name);
	return read_file(path, must);
}

/**
 * stats_value() - one counter of debugfs "stats"
 * @stats: the file's text (debugfs_file("stats", ...)), or NULL
 * @key: the counter's name, such as "bg_zeroed_pages"
 *
 * Return: the value of its "key value" line, or UNKNOWN.
 */
unsigned long long stats_value(const char *stats, const char *key)
{
	size_t klen = strlen(key);
	const char *s = stats;

	while (s && *s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, key, klen) && (s[klen] == ' ' ||
					       s[klen] == '\t' ||
					       s[klen] == '='))
			return strtoull(s + klen + 1, NULL, 0);
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return UNKNOWN;
}

/**
 * sleep_ms() - sleep, through signals
 * @ms: how long, in milliseconds
 */
void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/**
 * now_ms() - a monotonic clock
 *
 * Return: milliseconds since some fixed point.
 */
unsigned long long now_ms(void)
{
	return now_ns() / 1000000;
}

/**
 * now_ns() - the same monotonic clock (CLOCK_MONOTONIC), finer
 *
 * Return: nanoseconds since some fixed point.
 */
unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/**
 * pool_check() - check the pool is consistent and, if asked, idle
 * @dev: the open /dev/pagepool
 * @idle: also check the pool is whole and no buffer is alive, waiting up
 *        to SETTLE_MS for releases to land
 *
 * Debugfs "check" must say ok. Prints why when it fails.
 *
 * Return: 0, or RC_POOL (dies with RC_OPEN when debugfs cannot be read).
 */
int pool_check(int dev, int idle)
{
	struct pagepool_pool_info pi;
	unsigned int waited = 0;
	char *text, *nl, *stats;
	unsigned long long alive, bytes;
	int whole;

	for (;;) {
		pool_info(dev, &pi);
		stats = debugfs_file("stats", 1);
		alive = stats_value(stats, "allocations_alive");
		bytes = stats_value(stats, "bytes_alive");
		free(stats);
		whole = pi.free_pages == pi.pages && !pi.allocations &&
			!alive && !bytes;
		if (!idle || whole || waited >= SETTLE_MS)
			break;
		sleep_ms(50);
		waited += 50;
	}
	text = debugfs_file("check", 1);
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	if (strcmp(text, "ok")) {
		warnx("debugfs check: %s", text[0] ? text : "(empty)");
		free(text);
		return RC_POOL;
	}
	free(text);
	if (!idle)
		return 0;
	if (pi.free_pages != pi.pages || pi.allocations || alive || bytes) {
		warnx("pool not whole: %llu of %llu pages free, %llu buffers",
		      (unsigned long long)pi.free_pages,
		      (unsigned long long)pi.pages,
		      (unsigned long long)pi.allocations);
		warnx("debugfs stats: allocations_alive %llu, bytes_alive %llu",
		      alive, bytes);
		return RC_POOL;
	}
	/*
	 * The background zeroer never takes pages out of the allocator: a
	 * whole pool is one free run, whatever it is doing.
	 */
	if (pi.zeroed_pages > pi.free_pages || pi.largest_free != pi.pages) {
		warnx("idle pool: %llu zeroed of %llu free, largest run %llu",
		      (unsigned long long)pi.zeroed_pages,
		      (unsigned long long)pi.free_pages,
		      (unsigned long long)pi.largest_free);
		return RC_POOL;
	}
	return 0;
}

/* ---- processes and descriptors ---- */

/**
 * raise_nofile() - raise the soft limit of open files to the hard limit
 */
void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/**
 * fd_send() - send a message with a file descriptor over a unix socket
 * @sock: the socket
 * @msg: the message
 * @len: its length
 * @fd: the descriptor to pass along (SCM_RIGHTS), or -1 for none
 * @flags: sendmsg() flags (MSG_DONTWAIT, MSG_NOSIGNAL, ...)
 *
 * One sendmsg() call: the caller retries on EINTR and EAGAIN as it sees
 * fit.
 *
 * Return: what sendmsg() returns, with errno set on failure.
 */
ssize_t fd_send(int sock, const void *msg, size_t len, int fd, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)msg, len };
	struct msghdr mh;
	struct cmsghdr *cm;

	memset(&mh, 0, sizeof(mh));
	memset(cbuf, 0, sizeof(cbuf));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd >= 0) {
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	}
	return sendmsg(sock, &mh, flags);
}

/**
 * fd_recv() - receive a message and the descriptor passed with it
 * @sock: the socket
 * @msg: where the message goes
 * @len: its size
 * @fd: set to the descriptor received (close-on-exec), or -1
 * @flags: recvmsg() flags (MSG_DONTWAIT, ...)
 *
 * Retries on EINTR. A message or its control data that did not fit fails
 * with EMSGSIZE, its descriptor closed.
 *
 * Return: the length received (0 at the end of the stream), or -1 with
 * errno set.
 */
ssize_t fd_recv(int sock, void *msg, size_t len, int *fd, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { msg, len };
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t n;

	*fd = -1;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | flags);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return n;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(cm), sizeof(*fd));
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		errno = EMSGSIZE;
		return -1;
	}
	return n;
}

/* ---- the importer: vgem ---- */

/**
 * open_vgem() - open the vgem DRM device
 * @card: its path, or NULL for the first /dev/dri/cardN that is vgem
 * @must: die (RC_OPEN) when there is none
 *
 * Return: the open card, or -1 when there is none and @must is 0.
 */
int open_vgem(const char *card, int must)
{
	struct drm_version_arg v;
	char path[64], name[16];
	int fd, i;

	for (i = 0; i < 16; i++) {
		if (card && i)
			break;
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open_path(card ? card : path, O_RDWR, must && card);
		if (fd < 0)
			continue;
		memset(&v, 0, sizeof(v));
		memset(name, 0, sizeof(name));
		v.name = name;
		v.name_len = sizeof(name) - 1;
		if (!ioctl(fd, DRM_VERSION_IOC, &v) && !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	if (!must)
		return -1;
	die(RC_OPEN, "no vgem device%s%s (is vgem loaded?)",
	    card ? " at " : " under /dev/dri", card ? card : "");
}
