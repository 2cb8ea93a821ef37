/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * efd_test_harness.h: a small user-space test harness in the style of the kernel's
 * tools/testing/selftests/kselftest_harness.h, for efd_lkm's VM tests.
 *
 *	TEST(name) { ... }			a case, with the default timeout
 *	TEST_TIMEOUT(name, seconds) { ... }	a case with its own timeout
 *	FIXTURE(f) { members };			state shared by the cases of fixture f,
 *	FIXTURE_SETUP(f) { self->... }		made before each of them,
 *	FIXTURE_TEARDOWN(f) { self->... }	undone after each, also when an ASSERT ends it
 *						(or the setup: members start zeroed)
 *	TEST_F(f, name) { self->... }		a case "f.name" on fixture f (TEST_F_TIMEOUT too)
 *	ASSERT_EQ(expected, seen);		on failure: record, end the case
 *	EXPECT_EQ(expected, seen);		on failure: record, go on
 *	ASSERT_TRUE(cond) TH_LOG("fmt", ...);	what to say on failure (optional)
 *	(also _NE, _LT, _LE, _GT, _GE, _FALSE)
 *	return efd_test_main(argc, argv, after_each);
 *
 * Each case runs in a child process of its own (so an ASSERT may end it from any helper,
 * and a case that hangs is killed at its timeout) and prints one TAP line:
 * "ok N name", or "not ok N name # reason" with the first failure's reason. Before the cases:
 * "TAP version 13" and the plan "1..N"; lines starting with '#' are diagnostics (each case's
 * wall time among them).
 * The registration order (the order in the file) is the running order.
 */
#ifndef _EFD_TEST_HARNESS_H
#define _EFD_TEST_HARNESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EFD_TEST_TIMEOUT_DEFAULT	30	/* seconds, under TCG */
#define EFD_TEST_REASON_MAX		512

struct efd_test {
	const char *name;
	void (*fn)(void);
	int timeout_s;
	struct efd_test *next;
};

/* Shared with the case's child process: what failed first. */
struct efd_test_result {
	int failed;
	char reason[EFD_TEST_REASON_MAX];
};

static struct efd_test *efd_tests_head, **efd_tests_tail = &efd_tests_head;
static struct efd_test_result *efd_result;
static int efd_trigger;	/* set by a failed check, consumed by the TH_LOG loop */
static void (*efd_teardown)(void *self);	/* the running TEST_F's, until it has run */
static void *efd_teardown_self;

static inline void efd_test_teardown(void)
{
	void (*fn)(void *self) = efd_teardown;

	efd_teardown = NULL;	/* once, even if an ASSERT in it ends the case */
	if (fn)
		fn(efd_teardown_self);
}

static inline void efd_test_register(struct efd_test *t)
{
	*efd_tests_tail = t;
	efd_tests_tail = &t->next;
}

#define TEST_TIMEOUT(test_name, seconds)					\
	static void test_name(void);						\
	static struct efd_test efd_test_##test_name = {				\
		.name = #test_name, .fn = test_name, .timeout_s = (seconds),	\
	};									\
	static void __attribute__((constructor)) efd_reg_##test_name(void)	\
	{									\
		efd_test_register(&efd_test_##test_name);			\
	}									\
	static void test_name(void)

#define TEST(test_name) TEST_TIMEOUT(test_name, EFD_TEST_TIMEOUT_DEFAULT)

#define FIXTURE(fixture) struct efd_fixture_##fixture
#define FIXTURE_SETUP(fixture)							\
	static void efd_setup_##fixture(struct efd_fixture_##fixture *self)
#define FIXTURE_TEARDOWN(fixture)						\
	static void efd_teardown_typed_##fixture(struct efd_fixture_##fixture *self); \
	static void efd_teardown_##fixture(void *self)				\
	{									\
		efd_teardown_typed_##fixture(self);				\
	}									\
	static void efd_teardown_typed_##fixture(struct efd_fixture_##fixture *self)

#define TEST_F_TIMEOUT(fixture, test_name, seconds)				\
	static void fixture##_##test_name(struct efd_fixture_##fixture *self);	\
	static void efd_run_##fixture##_##test_name(void)			\
	{									\
		static struct efd_fixture_##fixture f;				\
										\
		efd_teardown_self = &f;	/* also after a failed setup */		\
		efd_teardown = efd_teardown_##fixture;				\
		efd_setup_##fixture(&f);					\
		fixture##_##test_name(&f);					\
		efd_test_teardown();						\
	}									\
	static struct efd_test efd_test_##fixture##_##test_name = {		\
		.name = #fixture "." #test_name,				\
		.fn = efd_run_##fixture##_##test_name,				\
		.timeout_s = (seconds),						\
	};									\
	static void __attribute__((constructor)) efd_reg_##fixture##_##test_name(void) \
	{									\
		efd_test_register(&efd_test_##fixture##_##test_name);		\
	}									\
	static void fixture##_##test_name(struct efd_fixture_##fixture *self)

#define TEST_F(fixture, test_name)						\
	TEST_F_TIMEOUT(fixture, test_name, EFD_TEST_TIMEOUT_DEFAULT)

/* Records the first failure of the running case (later ones only count). */
static inline void __attribute__((format(printf, 1, 2))) efd_test_fail(const char *fmt, ...)
{
	va_list ap;

	if (efd_result->failed++)
		return;
	va_start(ap, fmt);
	vsnprintf(efd_result->reason, sizeof(efd_result->reason), fmt, ap);
	va_end(ap);
}

/* Appends to the first failure's reason (TH_LOG after a failed check). */
static inline void __attribute__((format(printf, 1, 2))) efd_test_log(const char *fmt, ...)
{
	size_t used = strlen(efd_result->reason);
	va_list ap;

	if (efd_result->failed > 1 || used + 3 >= sizeof(efd_result->reason))
		return;
	strcpy(efd_result->reason + used, ": ");
	va_start(ap, fmt);
	vsnprintf(efd_result->reason + used + 2, sizeof(efd_result->reason) - used - 2, fmt, ap);
	va_end(ap);
}

static inline int efd_test_bail(bool assert)
{
	if (assert) {
		efd_trigger = 0;	/* the teardown's own checks start clean */
		efd_test_teardown();
		fflush(NULL);
		_exit(1);
	}
	return 0;
}

/* Runs the optional statement after a check (TH_LOG) once, then ends the case for ASSERT. */
#define EFD_OPTIONAL_HANDLER(assert) \
	for (; efd_trigger; efd_trigger = efd_test_bail(assert))

#define __EFD_CMP(expected, seen, op, assert)					\
	do {									\
		long long __exp = (long long)(expected);			\
		long long __seen = (long long)(seen);				\
		if (!(__exp op __seen)) {					\
			efd_test_fail("%s:%d: %s %s %s (%lld %s %lld)",		\
				      __FILE__, __LINE__, #expected, #op, #seen,\
				      __exp, #op, __seen);			\
			efd_trigger = 1;					\
		}								\
	} while (0); EFD_OPTIONAL_HANDLER(assert)

#define __EFD_BOOL(cond, want, assert)						\
	do {									\
		if ((bool)(cond) != (want)) {					\
			efd_test_fail("%s:%d: %s%s", __FILE__, __LINE__,	\
				      (want) ? "" : "!", #cond);		\
			efd_trigger = 1;					\
		}								\
	} while (0); EFD_OPTIONAL_HANDLER(assert)

#define TH_LOG(...) efd_test_log(__VA_ARGS__)

#define ASSERT_EQ(expected, seen) __EFD_CMP(expected, seen, ==, true)
#define ASSERT_NE(expected, seen) __EFD_CMP(expected, seen, !=, true)
#define ASSERT_LT(expected, seen) __EFD_CMP(expected, seen, <, true)
#define ASSERT_LE(expected, seen) __EFD_CMP(expected, seen, <=, true)
#define ASSERT_GT(expected, seen) __EFD_CMP(expected, seen, >, true)
#define ASSERT_GE(expected, seen) __EFD_CMP(expected, seen, >=, true)
#define ASSERT_TRUE(cond) __EFD_BOOL(cond, true, true)
#define ASSERT_FALSE(cond) __EFD_BOOL(cond, false, true)
#define EXPECT_EQ(expected, seen) __EFD_CMP(expected, seen, ==, false)
#define EXPECT_NE(expected, seen) __EFD_CMP(expected, seen, !=, false)
#define EXPECT_LT(expected, seen) __EFD_CMP(expected, seen, <, false)
#define EXPECT_LE(expected, seen) __EFD_CMP(expected, seen, <=, false)
#define EXPECT_GT(expected, seen) __EFD_CMP(expected, seen, >, false)
#define EXPECT_GE(expected, seen) __EFD_CMP(expected, seen, >=, false)
#define EXPECT_TRUE(cond) __EFD_BOOL(cond, true, false)
#define EXPECT_FALSE(cond) __EFD_BOOL(cond, false, false)

/* Ends the case now with a reason of its own. */
#define FAIL_NOW(...)								\
	do {									\
		efd_test_fail(__VA_ARGS__);					\
		efd_test_bail(true);						\
	} while (0)

static inline bool efd_test_wanted(const char *name, int argc, char **argv, int first)
{
	if (argc <= first)
		return true;
	for (int i = first; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

/*
 * Runs one case in a child and waits for it on a pidfd, at most its timeout. A child that
 * does not die after SIGKILL (stuck in the kernel) is left behind: the case fails either way.
 */
static inline void efd_test_run(struct efd_test *t)
{
	int pidfd, status = 0;
	struct pollfd pf;
	pid_t child;

	memset(efd_result, 0, sizeof(*efd_result));
	fflush(NULL);
	child = fork();
	if (child < 0) {
		efd_test_fail("fork: %s", strerror(errno));
		return;
	}
	if (child == 0) {
		t->fn();
		fflush(NULL);
		_exit(efd_result->failed ? 1 : 0);
	}
	pidfd = syscall(SYS_pidfd_open, child, 0);
	if (pidfd < 0) {
		efd_test_fail("pidfd_open: %s", strerror(errno));
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return;
	}
	pf.fd = pidfd;
	pf.events = POLLIN;
	if (poll(&pf, 1, t->timeout_s * 1000) != 1) {
		kill(child, SIGKILL);
		efd_test_fail("timed out after %d s", t->timeout_s);
		if (poll(&pf, 1, 5000) != 1) {
			close(pidfd);
			return;
		}
	}
	close(pidfd);
	waitpid(child, &status, 0);
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		efd_test_fail("killed by signal %d", WTERMSIG(status));
	else if (!efd_result->failed && (!WIFEXITED(status) || WEXITSTATUS(status)))
		efd_test_fail("exit status %#x without a recorded failure", status);
}

/*
 * efd_tests ARGS [CASE...]: runs the named cases (all without names) after @first leading
 * arguments; "--list" as the first argument prints the names. @after_each runs in the
 * parent after every case (cleanup) and may fail it.
 */
static inline int efd_test_main(int argc, char **argv, int first, void (*after_each)(void))
{
	struct efd_test *t;
	int n = 0, i = 0, failed = 0;

	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (t = efd_tests_head; t; t = t->next)
			puts(t->name);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	efd_result = mmap(NULL, sizeof(*efd_result), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (efd_result == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return 1;
	}
	for (t = efd_tests_head; t; t = t->next)
		n += efd_test_wanted(t->name, argc, argv, first);
	printf("TAP version 13\n1..%d\n", n);
	for (t = efd_tests_head; t; t = t->next) {
		struct timespec t0, t1;

		if (!efd_test_wanted(t->name, argc, argv, first))
			continue;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		efd_test_run(t);
		if (after_each)
			after_each();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("# %s: %.2f s\n", t->name,
		       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
		i++;
		if (efd_result->failed) {
			failed++;
			for (char *c = efd_result->reason; *c; c++)
				if (*c == '\n')
					*c = ' ';
			printf("not ok %d %s # %s\n", i, t->name, efd_result->reason);
		} else {
			printf("ok %d %s\n", i, t->name);
		}
	}
	printf("# %d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}

#endif /* _EFD_TEST_HARNESS_H */
