/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The project's one pseudo-random generator, splitmix64 (Steele, Lea and
 * Flood, 2014): small, fast and the same everywhere, so that a seed names a
 * run. Header-only and free of includes and typedefs, so that userspace
 * tools, the static test drivers and kernel code (the KUnit model) can all
 * include it.
 */
#ifndef _TOOLS_LIB_RAND_H
#define _TOOLS_LIB_RAND_H

/**
 * splitmix64_next() - the next number of a sequence
 * @state: the generator's state, seeded by the caller
 *
 * Return: 64 random bits.
 */
static inline unsigned long long splitmix64_next(unsigned long long *state)
{
	unsigned long long z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/**
 * splitmix64_below() - a number uniform in [0, n)
 * @state: the generator's state
 * @n: the bound; 0 gives 0
 *
 * Lemire's multiply-shift, with rejection so that no value is favoured.
 *
 * Return: the number.
 */
static inline unsigned long long splitmix64_below(unsigned long long *state,
						  unsigned long long n)
{
	unsigned __int128 m;
	unsigned long long lo, t;

	if (!n)
		return 0;
	m = (unsigned __int128)splitmix64_next(state) * n;
	lo = (unsigned long long)m;
	if (lo < n) {
		t = -n % n;
		while (lo < t) {
			m = (unsigned __int128)splitmix64_next(state) * n;
			lo = (unsigned long long)m;
		}
	}
	return (unsigned long long)(m >> 64);
}

#endif /* _TOOLS_LIB_RAND_H */
