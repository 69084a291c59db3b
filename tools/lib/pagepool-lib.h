/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagepool-lib: what the userspace tools that drive the pagepool module
 * (tools/pagepoolctl, tools/testing/pagepool-test,
 * tools/testing/pagepool-fuzz and tools/bench/bench-e2e) share. That is
 * how they talk to the module: its devices, buffers and debugfs, with the
 * messages, exit codes and command line handling that go with them, and
 * the importer they test with (vgem).
 */
#ifndef _TOOLS_LIB_PAGEPOOL_LIB_H
#define _TOOLS_LIB_PAGEPOOL_LIB_H

#include <stddef.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#include <linux/types.h>
#include <linux/pagepool.h>

#define POOL_DEV	"/dev/pagepool"
#define HEAP_DEV	"/dev/dma_heap/pagepool"
#define DEBUGFS_DIR	"/sys/kernel/debug/pagepool"
#define SYSFS_DIR	"/sys/kernel/pagepool"
/* The pool that has the plain names above, as when there was one pool. */
#define DEFAULT_POOL	"pagepool"
/* A pool's name is 1 to POOL_NAME_MAX characters of a-z, 0-9, _ and -. */
#define POOL_NAME_MAX	32
#define CHUNK_PAGES	512ULL
#define UNKNOWN		(~0ULL)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* How long the pool may take to become whole after the last close. */
#define SETTLE_MS	30000

/* Exit codes; a tool's --help lists those it uses (struct tool last_rc). */
enum {
	RC_OK = 0,
	RC_INTERNAL = 1,	/* the tool itself ran out of memory */
	RC_USAGE = 2,		/* bad arguments, or a malformed replay line */
	RC_OPEN = 3,		/* a device or debugfs file cannot be opened */
	RC_IOCTL = 4,		/* an ioctl failed (not for lack of room) */
	RC_NOMEM = 5,		/* the pool has no room for the allocation */
	RC_MAP = 6,		/* mmap or DMA_BUF_IOCTL_SYNC failed */
	RC_DATA = 7,		/* a buffer did not hold the expected bytes */
	RC_POOL = 8,		/* the pool is not whole, or check is not ok */
	RC_SYS = 9,		/* fork, socket and other system calls */
	RC_IMPORT = 10,		/* import into vgem failed or misbehaved */
	RC_ABI = 11,		/* an ioctl error case answered wrongly */
	RC_CRASH = 12,		/* a stress process died of a signal */
	RC_TIMEOUT = 13,	/* stress did not finish in time */
};

/*
 * Where the devices and debugfs are: those of the pool --pool chose (or the
 * only one), unless --dev, --heap-dev or --debugfs gave a path.
 */
extern const char *pool_path;
extern const char *heap_path;
extern const char *debugfs_path;
/* The pool chosen (pool_select()), or NULL before one is. */
extern const char *pool_name;

/* The open devices (-1 when not open) and the pool's page size. */
struct ctx {
	int dev;
	int heap;
	size_t page_size;
};

/* One buffer: a dma-buf fd (or -1 once closed) and its mapping. */
struct pbuf {
	int fd;
	int heap;
	unsigned char *map;
	size_t len;
	unsigned long long pages;
	unsigned long long offset;
	unsigned long long clean;
	unsigned long long phys;
	unsigned long long tag;
};

/* One command of a tool: its name and what runs it. */
struct tool_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

/**
 * struct tool - a program built on tool_main()
 * @name: its name, for --help and as the prefix of its messages
 * @about: a line for --help saying what it is
 * @commands: the "Commands:" part of --help, one or more lines
 * @cmds: its commands
 * @ncmds: how many
 * @last_rc: the highest exit code it uses; --help lists 0 to it
 * @bad_input: what else exit code RC_USAGE means, or NULL
 * @poolless: a command that runs without choosing a pool (one that lists
 *            them), or NULL; it still honours --pool when given
 */
struct tool {
	const char *name;
	const char *about;
	const char *commands;
	const struct tool_cmd *cmds;
	size_t ncmds;
	int last_rc;
	const char *bad_input;
	const char *poolless;
};

/* Messages and memory */
void msg_prefix(const char *fmt, ...);
void warnx(const char *fmt, ...);
noreturn void die(int rc, const char *fmt, ...);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n, size_t size);

/* Command line */
int parse_ull(const char *s, unsigned long long *val);
unsigned long long opt_num(const char *name, const char *s,
			   unsigned long long min, unsigned long long max);
int tool_main(const struct tool *t, int argc, char **argv);

/* Pools */
size_t pool_list(char ***names);
void pool_list_free(char **names, size_t n);
char *pool_names_text(char **names, size_t n);
const char *pool_dev_path(const char *name, char *buf, size_t size);
void pool_select(const char *name);

/* Devices and buffers */
int open_path(const char *path, int flags, int must);
void pool_info(int dev, struct pagepool_pool_info *pi);
void ctx_open(struct ctx *cx, int want_heap, int heap_only);
int pool_alloc(int dev, unsigned long long pages, __u32 fd_flags,
	       struct pbuf *b);
int pool_alloc_aligned(int dev, unsigned long long pages,
		       unsigned long long align, __u64 flags, __u32 fd_flags,
		       struct pbuf *b);
int heap_alloc(int heap, unsigned long long pages, size_t page_size,
	       struct pbuf *b);
int buffer_info(int dev, struct pbuf *b);
void print_buffer(const struct pbuf *b);
void buf_map(struct pbuf *b, size_t page_size);
void buf_sync(const struct pbuf *b, __u64 flags);
int pool_sync(int dev, int fd, __u64 flags, __u64 offset, __u64 len);
void buf_release(struct pbuf *b);

/* Buffer contents */
size_t find_not(const unsigned char *p, size_t len, unsigned char val);
unsigned long long pattern_word(unsigned long long tag, size_t k);
void pattern_fill_at(unsigned char *p, size_t len, unsigned long long tag,
		     size_t from);
size_t pattern_check_at(const unsigned char *p, size_t len,
			unsigned long long tag, size_t from);
void pattern_fill(struct pbuf *b);
size_t pattern_check(const struct pbuf *b);

/* Files, debugfs and the pool's state */
char *read_file(const char *path, int must);
int fold_vmstat(void);
long long pagetables_kb(void);
char *debugfs_file(const char *name, int must);
unsigned long long stats_value(const char *stats, const char *key);
void sleep_ms(unsigned int ms);
unsigned long long now_ms(void);
unsigned long long now_ns(void);
int pool_check(int dev, int idle);

/* Processes and descriptors */
void raise_nofile(void);
ssize_t fd_send(int sock, const void *msg, size_t len, int fd, int flags);
ssize_t fd_recv(int sock, void *msg, size_t len, int *fd, int flags);

/*
 * The importer: vgem, through the DRM ioctls, laid out as in <drm/drm.h>,
 * which Debian's linux-libc-dev does not ship. They are fixed ABI.
 */
struct drm_version_arg {
	int version_major;
	int version_minor;
	int version_patchlevel;
	size_t name_len;
	char *name;
	size_t date_len;
	char *date;
	size_t desc_len;
	char *desc;
};

struct drm_gem_close_arg {
	__u32 handle;
	__u32 pad;
};

struct drm_prime_handle_arg {
	__u32 handle;
	__u32 flags;
	__s32 fd;
};

#define DRM_VERSION_IOC	_IOWR('d', 0x00, struct drm_version_arg)
#define DRM_GEM_CLOSE_IOC	_IOW('d', 0x09, struct drm_gem_close_arg)
#define DRM_HANDLE_TO_FD_IOC	_IOWR('d', 0x2d, struct drm_prime_handle_arg)
#define DRM_FD_TO_HANDLE_IOC	_IOWR('d', 0x2e, struct drm_prime_handle_arg)

int open_vgem(const char *card, int must);

#endif /* _TOOLS_LIB_PAGEPOOL_LIB_H */
