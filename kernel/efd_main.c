// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm: carries kernel events to a user-space process through its eventfd.
 *
 * Kernel events become records in a ring read from /dev/efd_lkm (efd_ring.c); an attached
 * eventfd is the doorbell (efd_target.c); /sys/kernel/efd_lkm shows and steers it
 * (efd_sysfs.c), with the kinds of record described there (efd_kinds.c); efd_sources.c holds
 * the optional built-in sources. kernel/README.md is the
 * contract. This file has the load-time parameters, and load and unload, which are mirror
 * images of each other.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "efd_internal.h"

/* ---- parameters: pid and efd count as given only when they are on the command line ---- */

static int efd_param_pid;
static int efd_param_efd;
static bool efd_pid_given;
static bool efd_efd_given;
static unsigned int efd_param_ring_size = EFD_RING_SIZE_DEFAULT;

/* param_set_int() parses with kstrtoint(): -EINVAL for text, -ERANGE past int. */
static int efd_param_set_given(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_int(val, kp);

	if (ret)
		return ret;
	if (kp->arg == &efd_param_pid)
		efd_pid_given = true;
	else
		efd_efd_given = true;
	return 0;
}

static const struct kernel_param_ops efd_given_ops = {
	.set = efd_param_set_given,
	.get = param_get_int,
};

module_param_cb(pid, &efd_given_ops, &efd_param_pid, 0444);
MODULE_PARM_DESC(pid, "Process whose eventfd to attach at load (with efd=)");
module_param_cb(efd, &efd_given_ops, &efd_param_efd, 0444);
MODULE_PARM_DESC(efd, "That process's eventfd number (with pid=)");
module_param_named(ring_size, efd_param_ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size, "Records kept, a power of two in 2..65536 (default 8192)");

/* ---- load and unload ---- */

static int __init efd_check_params(void)
{
	unsigned int size = efd_param_ring_size;

	if (efd_pid_given != efd_efd_given) {
		pr_err("pid= and efd= go together\n");
		return -EINVAL;
	}
	if (efd_pid_given && (efd_param_pid <= 0 || efd_param_efd < 0)) {
		pr_err("invalid pid=%d efd=%d\n", efd_param_pid, efd_param_efd);
		return -EINVAL;
	}
	if (!is_power_of_2(size) || size < EFD_RING_SIZE_MIN || size > EFD_RING_SIZE_MAX) {
		pr_err("ring_size=%u: want a power of two in %u..%u\n",
		       size, EFD_RING_SIZE_MIN, EFD_RING_SIZE_MAX);
		return -EINVAL;
	}
	return 0;
}

/*
 * Acquire in order, unwind in reverse: the sysfs files go first, so no attach written there
 * can outlive a failed load; the kinds' directories live inside them; and the device comes
 * last, because an open file pins the module, which must not happen while init can still
 * fail (nor can another module register a kind before init is done: it waits for us).
 */
static int __init efd_init(void)
{
	int ret;

	ret = efd_check_params();
	if (ret)
		return ret;
	ret = efd_ring_init(efd_param_ring_size);
	if (ret)
		return ret;
	if (efd_pid_given) {
		ret = efd_attach(efd_param_pid, efd_param_efd);
		if (ret) {
			pr_err("cannot attach to pid %d fd %d: %d\n",
			       efd_param_pid, efd_param_efd, ret);
			goto err_attach;
		}
	}
	ret = efd_sources_start();
	if (ret)
		goto err_attach;
	ret = efd_sysfs_init();
	if (ret)
		goto err_sources;
	ret = efd_kinds_init(efd_sysfs_kobj());
	if (ret)
		goto err_sysfs;
	ret = efd_dev_init();
	if (ret)
		goto err_kinds;
	return 0;

err_kinds:
	efd_kinds_exit();
err_sysfs:
	efd_sysfs_exit();
err_sources:
	efd_sources_stop();
err_attach:
	efd_target_exit();
	efd_ring_exit();
	return ret;
}

static void __exit efd_exit(void)
{
	efd_dev_exit();
	efd_kinds_exit();
	efd_sysfs_exit();
	efd_sources_stop();
	efd_target_exit();
	efd_ring_exit();
}

module_init(efd_init);
module_exit(efd_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel events to a user-space eventfd, with a record ring");
MODULE_AUTHOR("efd-daemon project");
MODULE_VERSION("1.0");
