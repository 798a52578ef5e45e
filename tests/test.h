/* A minimal test harness: each test binary lists its cases in one table and calls
 * test_main(). A failed CHECK prints file:line and the values, and fails the case. */
#ifndef KIOSK_TEST_H
#define KIOSK_TEST_H

#include <stdio.h>
#include <string.h>

extern int test_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
			test_failed = 1;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long va_ = (long long)(a), vb_ = (long long)(b);                              \
		if (va_ != vb_) {                                                                  \
			fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__,      \
				__LINE__, #a, va_, #b, vb_);                                       \
			test_failed = 1;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *sa_ = (a), *sb_ = (b);                                                 \
		if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                                       \
			fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__,        \
				__LINE__, #a, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");         \
			test_failed = 1;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_HAS(hay, needle)                                                                     \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		if (!h_ || !strstr(h_, n_)) {                                                      \
			fprintf(stderr, "%s:%d: \"%s\" not found in:\n%s\n", __FILE__, __LINE__,   \
				n_, h_ ? h_ : "(null)");                                           \
			test_failed = 1;                                                           \
		}                                                                                  \
	} while (0)

struct test_case {
	const char *name;
	void (*fn)(void);
};

/* Runs every case (or only those named on the command line); returns the exit code. */
int test_main(int argc, char **argv, const struct test_case *cases);

#endif
