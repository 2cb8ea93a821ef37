// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm_example: how another module raises its own events through efd_lkm.
 *
 * Emits one record of kind EFD_LKM_EXAMPLE_KIND (0x1000) at load with n = 0, and one per
 * unit written to /sys/module/efd_lkm_example/parameters/fire (n = 1, 2, ...). The payload
 * is struct efd_lkm_example_event: n, then the text "efd_lkm_example".
 * With selftest=1 the load also checks that efd_lkm_notify() refuses what it must.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include <efd_lkm.h>

#define EFD_LKM_EXAMPLE_KIND	0x1000
#define EFD_LKM_EXAMPLE_FIRE_MAX	1024U

struct efd_lkm_example_event {
	__u32 n;
	char text[16];
};

static atomic_t efd_example_n = ATOMIC_INIT(0);

static int efd_example_emit(u32 n)
{
	struct efd_lkm_example_event ev = { .n = n };

	strscpy(ev.text, "efd_lkm_example", sizeof(ev.text));
	return efd_lkm_notify(EFD_LKM_EXAMPLE_KIND, &ev, sizeof(ev));
}

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
MODULE_PARM_DESC(selftest, "At load, check that efd_lkm_notify() rejects bad kinds and sizes");

static int efd_example_selftest(void)
{
	static const u8 big[EFD_LKM_DATA_MAX + 1];

	if (efd_lkm_notify(EFD_LKM_KIND_USER_MIN - 1, NULL, 0) != -EINVAL ||
	    efd_lkm_notify(EFD_LKM_KIND_USER_MAX + 1, NULL, 0) != -EINVAL ||
	    efd_lkm_notify(EFD_LKM_KIND_TICK, NULL, 0) != -EINVAL ||
	    efd_lkm_notify(EFD_LKM_EXAMPLE_KIND, big, sizeof(big)) != -EINVAL ||
	    efd_lkm_notify(EFD_LKM_EXAMPLE_KIND, NULL, 4) != -EINVAL) {
		pr_err("selftest failed: efd_lkm_notify() accepted a bad call\n");
		return -EINVAL;
	}
	pr_info("selftest ok\n");
	return 0;
}

static int __init efd_example_init(void)
{
	int ret;

	if (selftest) {
		ret = efd_example_selftest();
		if (ret)
			return ret;
	}
	return efd_example_emit(0);
}

static void __exit efd_example_exit(void)
{
}

module_init(efd_example_init);
module_exit(efd_example_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Example client of efd_lkm_notify()");
MODULE_AUTHOR("efd-daemon project");
