// SPDX-License-Identifier: GPL-2.0
/*
 * pagealloc-difftest: the allocator against a naive model, for millions of
 * random calls (valid and invalid) across seeds and capacities, with the
 * consistency checker run after every call. The test itself lives in
 * kunit/pagealloc_model.h, shared with the KUnit suite.
 *
 * Usage: pagealloc-difftest [SCALE]   (SCALE multiplies the call counts)
 */
#include <linux/kernel.h>

#include "../../kunit/pagealloc_model.h"

struct difftest_config {
	u64 seed;
	u64 chunks;
	u64 ops;
};

/*
 * Small capacities reach every corner often; the larger ones put runs
 * across the boundaries of every tree level, the root's included (4096
 * chunks per root entry), and spread grows sparsely.
 */
static const struct difftest_config configs[] = {
	{ 1, 1, 100000 },
	{ 2, 3, 100000 },
	{ 3, 8, 150000 },
	{ 4, 9, 100000 },
	{ 5, 17, 100000 },
	{ 6, 64, 150000 },
	{ 7, 65, 100000 },
	{ 8, 130, 100000 },
	{ 9, 520, 60000 },
	{ 10, 4097, 20000 },
	{ 11, 8200, 10000 },
	{ 12, 2, 100000 },
	{ 13, 33, 100000 },
};

int main(int argc, char **argv)
{
	static struct pagealloc_difftest dt;
	u64 scale = argc > 1 ? strtoull(argv[1], NULL, 0) : 1, total = 0;
	int passed = 0, failed = 0;
	size_t i;

	if (!scale) {
		fprintf(stderr, "usage: %s [SCALE]\n", argv[0]);
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(configs); i++) {
		int err;

		memset(&dt, 0, sizeof(dt));
		dt.seed = configs[i].seed;
		dt.capacity = configs[i].chunks * PAGEALLOC_CHUNK_PAGES;
		dt.ops = configs[i].ops * scale;
		err = pagealloc_difftest_run(&dt);
		total += dt.ops;
		printf("%s seed %llu chunks %llu calls %llu ",
		       err ? "FAIL" : "PASS", dt.seed, configs[i].chunks,
		       dt.ops);
		printf("(grow %llu alloc %llu free %llu take %llu dirty %llu ",
		       dt.calls[DT_GROW], dt.calls[DT_ALLOC],
		       dt.calls[DT_FREE], dt.calls[DT_TAKE], dt.calls[DT_DIRTY]);
		printf("scavenge %llu bad %llu, rejected %llu)%s%s\n",
		       dt.calls[DT_SCAVENGE], dt.calls[DT_BAD], dt.rejected,
		       err ? ": " : "", err ? dt.msg : "");
		if (err)
			failed++;
		else
			passed++;
		fflush(stdout);
	}
	printf("# %llu calls in all\n", total);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
