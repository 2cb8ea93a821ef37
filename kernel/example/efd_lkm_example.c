// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm_example: how another module raises its own events through efd_lkm.
 *
 * A driver does three things (kernel/README.md, "For other modules"):
 *
 * 1. It describes its payload once, at init: efd_lkm_kind_register() with a name and the
 *    payload struct's fields. efd_lkm shows that format in
 *    /sys/kernel/efd_lkm/kinds/<kind>/, so the daemon names and types every field (journal,
 *    exec environment, efdctl listen) without code of its own.
 * 2. It raises records of that kind with efd_lkm_notify(kind, &payload, sizeof(payload)),
 *    from any context but NMI (process, softirq, hard irq).
 * 3. It unregisters the kind at exit, the mirror image of init. (efd_lkm would do it anyway
 *    when the module unloads, or when its init fails after registering.)
 *
 * This one registers "example.event" (n, text, addr), raises it once at load with n = 0, and
 * once per unit written to /sys/module/efd_lkm_example/parameters/fire (n = 1, 2, ...), with
 * addr = 192.0.2.<n & 0xff> (TEST-NET-1). With selftest=1 the load also checks that efd_lkm
 * refuses bad registrations and bad records.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include <efd_lkm.h>

#define EFD_LKM_EXAMPLE_FIRE_MAX	1024U

/*
 * The payload: a plain struct, raised whole. Integers native-endian; addr in network byte
 * order, as ipv4 fields are; text NUL-padded, as str fields are.
 */
struct efd_lkm_example_event {
	__u32 n;
	char text[16];
	__be32 addr;
};

/*
 * The format: each field named after its member, with its offset and size taken from the
 * struct itself (offsetof, sizeof_field), so the two cannot drift apart. The names become
 * journal fields (EFD_F_N, EFD_F_TEXT, EFD_F_ADDR). efd_lkm copies them: __initconst is fine.
 */
#define EFD_EXAMPLE_OFF(m)	offsetof(struct efd_lkm_example_event, m)
#define EFD_EXAMPLE_SIZE(m)	sizeof_field(struct efd_lkm_example_event, m)

static const struct efd_lkm_field efd_example_fields[] __initconst = {
	{ "n", EFD_EXAMPLE_OFF(n), EFD_EXAMPLE_SIZE(n), EFD_LKM_FIELD_U32 },
	{ "text", EFD_EXAMPLE_OFF(text), EFD_EXAMPLE_SIZE(text), EFD_LKM_FIELD_STR },
	{ "addr", EFD_EXAMPLE_OFF(addr), EFD_EXAMPLE_SIZE(addr), EFD_LKM_FIELD_IPV4 },
};

/* The number efd_lkm gave the kind; set before anything can raise it. */
static int efd_example_kind;
static atomic_t efd_example_n = ATOMIC_INIT(0);

/* Any context but NMI: the payload lives on the stack, efd_lkm copies it. */
static int efd_example_emit(u32 n)
{
	struct efd_lkm_example_event ev = {
		.n = n,
		.addr = cpu_to_be32(0xc0000200 | (n & 0xff)),	/* 192.0.2.<n> */
	};

	strscpy(ev.text, "efd_lkm_example", sizeof(ev.text));
	return efd_lkm_notify(efd_example_kind, &ev, sizeof(ev));
}

/* Process context (a write to the parameter). */
static int efd_example_fire(const char *val, const struct kernel_param *kp)
{
	unsigned int i, count;
	int ret;

	ret = kstrtouint(val, 0, &count);
	if (ret)
		return ret;
	if (count < 1 || count > EFD_LKM_EXAMPLE_FIRE_MAX)
		return -EINVAL;
	for (i = 0; i < count && !ret; i++)
		ret = efd_example_emit(atomic_inc_return(&efd_example_n));
	return ret;
}

static const struct kernel_param_ops efd_example_fire_ops = {
	.set = efd_example_fire,
};

module_param_cb(fire, &efd_example_fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "Write N (1..1024): emit N records");

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "At load, check that efd_lkm refuses bad kinds, formats and sizes");

/* Registrations efd_lkm must refuse, each with the error it must give. */
static const struct efd_lkm_field efd_example_overlap[] __initconst = {
	{ .name = "a", .offset = 0, .size = 4, .type = EFD_LKM_FIELD_U32 },
	{ .name = "b", .offset = 2, .size = 4, .type = EFD_LKM_FIELD_U32 },
};

static const struct efd_lkm_field efd_example_bad_name[] __initconst = {
	{ .name = "Upper", .offset = 0, .size = 4, .type = EFD_LKM_FIELD_U32 },
};

static int __init efd_example_refused(const char *name, const struct efd_lkm_field *fields,
				      unsigned int n, int want)
{
	int ret = efd_lkm_kind_register(name, fields, n);

	if (ret == want)
		return 0;
	pr_err("selftest failed: registering %s gave %d, want %d\n", name, ret, want);
	if (ret >= 0)
		efd_lkm_kind_unregister(ret);
	return -EINVAL;
}

static int __init efd_example_selftest(void)
{
	static const u8 big[EFD_LKM_DATA_MAX + 1];
	struct efd_lkm_example_event ev = { };

	if (efd_example_refused("example.event", efd_example_fields,
				ARRAY_SIZE(efd_example_fields), -EEXIST) ||
	    efd_example_refused("Example", efd_example_fields,
				ARRAY_SIZE(efd_example_fields), -EINVAL) ||
	    efd_example_refused("example.bad", efd_example_bad_name, 1, -EINVAL) ||
	    efd_example_refused("example.bad", efd_example_overlap, 2, -EINVAL) ||
	    efd_example_refused("example.bad", efd_example_fields, 0, -EINVAL))
		return -EINVAL;
	if (efd_lkm_notify(EFD_LKM_KIND_USER_MIN - 1, NULL, 0) != -EINVAL ||
	    efd_lkm_notify(EFD_LKM_KIND_TICK, NULL, 0) != -EINVAL ||
	    efd_lkm_notify(EFD_LKM_KIND_USER_MIN, big, sizeof(big)) != -EINVAL ||
	    efd_lkm_notify(EFD_LKM_KIND_USER_MIN, NULL, 4) != -EINVAL ||
	    efd_lkm_notify(efd_example_kind, &ev, sizeof(ev) - 1) != -EINVAL ||
	    efd_lkm_notify(U32_MAX, &ev, sizeof(ev)) != -EINVAL) {
		pr_err("selftest failed: efd_lkm_notify() accepted a bad call\n");
		return -EINVAL;
	}
	pr_info("selftest ok\n");
	return 0;
}

/* Process context. Register, then raise: the kind must exist before its first record. */
static int __init efd_example_init(void)
{
	int ret;

	ret = efd_lkm_kind_register("example.event", efd_example_fields,
				    ARRAY_SIZE(efd_example_fields));
	if (ret < 0)
		return ret;
	efd_example_kind = ret;
	if (selftest) {
		ret = efd_example_selftest();
		if (ret)
			goto err_kind;
	}
	ret = efd_example_emit(0);
	if (ret)
		goto err_kind;
	return 0;

err_kind:
	efd_lkm_kind_unregister(efd_example_kind);
	return ret;
}

/* The mirror image of init; records already raised stay in the ring, with their number. */
static void __exit efd_example_exit(void)
{
	efd_lkm_kind_unregister(efd_example_kind);
}

module_init(efd_example_init);
module_exit(efd_example_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Example client of efd_lkm: a registered kind and its records");
MODULE_AUTHOR("efd-daemon project");
