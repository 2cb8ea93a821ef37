// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm's optional built-in event sources: network devices, modules, a tick here; system
 * keys and switches (efd_input.c) and power supplies (efd_power.c) switched from here.
 *
 * All are off by default: a netdev notifier replays every existing interface when it is
 * registered, and a module notifier would see efd_lkm's own load, either of which would
 * break the classic demo's "exactly one signal at insmod". Each is switched by a module
 * parameter, at load or at run time through /sys/module/efd_lkm/parameters/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <linux/timer.h>

#include "efd_internal.h"

#define EFD_TICK_MS_MAX		3600000U	/* one hour */

/*
 * efd_sources_mutex guards the switches and the registration state. Parameter writes can
 * arrive before efd_sources_start() (load-time parsing) and during unload (the parameter
 * files outlive module_exit briefly): they only store the value unless efd_sources_live.
 */
static DEFINE_MUTEX(efd_sources_mutex);
static bool efd_sources_live;

static bool efd_netdev;
static bool efd_modules;
static bool efd_input;
static bool efd_power;
static unsigned int efd_tick_ms;

static bool efd_netdev_on;
static bool efd_modules_on;
static bool efd_input_on;
static bool efd_power_on;

/* ---- network devices ---- */

static int efd_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct efd_lkm_netdev rec = { };

	if (event != NETDEV_UP && event != NETDEV_DOWN && event != NETDEV_CHANGE)
		return NOTIFY_DONE;
	/* Unregistering replays DOWN for every device: not an event. */
	if (!READ_ONCE(efd_netdev_on))
		return NOTIFY_DONE;

	strscpy(rec.ifname, dev->name, sizeof(rec.ifname));
	rec.ifindex = dev->ifindex;
	rec.event = event;
	rec.flags = dev->flags;
	efd_emit(EFD_LKM_KIND_NETDEV, &rec, sizeof(rec), false);
	return NOTIFY_DONE;
}

static struct notifier_block efd_netdev_nb = {
	.notifier_call = efd_netdev_event,
};

/* ---- modules ---- */

static int efd_module_event(struct notifier_block *nb, unsigned long state, void *data)
{
	struct module *mod = data;
	struct efd_lkm_module rec = { };

	if (state != MODULE_STATE_LIVE && state != MODULE_STATE_COMING &&
	    state != MODULE_STATE_GOING)
		return NOTIFY_DONE;

	strscpy(rec.name, mod->name, sizeof(rec.name));
	rec.state = state;
	efd_emit(EFD_LKM_KIND_MODULE, &rec, sizeof(rec), false);
	return NOTIFY_DONE;
}

static struct notifier_block efd_module_nb = {
	.notifier_call = efd_module_event,
};

/* ---- tick: a timer, so its records come from softirq context ---- */

static struct timer_list efd_tick_timer;
static u64 efd_tick_n;
static bool efd_tick_on;

static void efd_tick(struct timer_list *timer)
{
	struct efd_lkm_tick rec = { .n = ++efd_tick_n };

	efd_emit(EFD_LKM_KIND_TICK, &rec, sizeof(rec), false);
	if (READ_ONCE(efd_tick_on))
		mod_timer(timer, jiffies + msecs_to_jiffies(READ_ONCE(efd_tick_ms)));
}

/* ---- switching: caller holds efd_sources_mutex ---- */

static int efd_netdev_apply(void)
{
	int ret = 0;

	if (efd_netdev && !efd_netdev_on) {
		WRITE_ONCE(efd_netdev_on, true);
		ret = register_netdevice_notifier(&efd_netdev_nb);
		if (ret)
			WRITE_ONCE(efd_netdev_on, false);
	} else if (!efd_netdev && efd_netdev_on) {
		WRITE_ONCE(efd_netdev_on, false);
		unregister_netdevice_notifier(&efd_netdev_nb);
	}
	return ret;
}

/*
 * Brings a source that has a start and a stop to its parameter's setting. A start that fails
 * leaves the source off. (netdev has its own: its callback reads the flag, set before the
 * notifier replays every device and cleared before unregistering replays DOWN for each.)
 */
static int efd_switch(bool want, bool *on, int (*start)(void), void (*stop)(void))
{
	int ret = 0;

	if (want && !*on) {
		ret = start();
		if (!ret)
			*on = true;
	} else if (!want && *on) {
		stop();
		*on = false;
	}
	return ret;
}

static int efd_modules_start(void)
{
	return register_module_notifier(&efd_module_nb);
}

static void efd_modules_stop(void)
{
	unregister_module_notifier(&efd_module_nb);
}

static int efd_modules_apply(void)
{
	return efd_switch(efd_modules, &efd_modules_on, efd_modules_start, efd_modules_stop);
}

static int efd_input_apply(void)
{
	return efd_switch(efd_input, &efd_input_on, efd_input_start, efd_input_stop);
}

static int efd_power_apply(void)
{
	return efd_switch(efd_power, &efd_power_on, efd_power_start, efd_power_stop);
}

static void efd_tick_apply(void)
{
	if (efd_tick_on) {
		WRITE_ONCE(efd_tick_on, false);
		timer_delete_sync(&efd_tick_timer);
	}
	if (efd_tick_ms) {
		efd_tick_n = 0;
		WRITE_ONCE(efd_tick_on, true);
		mod_timer(&efd_tick_timer, jiffies + msecs_to_jiffies(efd_tick_ms));
	}
}

/* ---- parameters ---- */

/* kstrtouint()/kstrtobool() parse the whole value: -EINVAL or -ERANGE, never truncated. */
static int efd_parse_source(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret;

	if (kp->arg != &efd_tick_ms)
		return param_set_bool(val, kp);
	ret = kstrtouint(val, 0, &ms);
	if (ret)
		return ret;
	if (ms > EFD_TICK_MS_MAX)
		return -EINVAL;
	efd_tick_ms = ms;
	return 0;
}

static int efd_param_set_source(const char *val, const struct kernel_param *kp)
{
	int ret;

	mutex_lock(&efd_sources_mutex);
	ret = efd_parse_source(val, kp);
	if (ret || !efd_sources_live)
		goto out;

	if (kp->arg == &efd_netdev)
		ret = efd_netdev_apply();
	else if (kp->arg == &efd_modules)
		ret = efd_modules_apply();
	else if (kp->arg == &efd_input)
		ret = efd_input_apply();
	else if (kp->arg == &efd_power)
		ret = efd_power_apply();
	else
		efd_tick_apply();
	/* A source that could not start stays off, and says so when read. */
	if (ret)
		*(bool *)kp->arg = false;
out:
	mutex_unlock(&efd_sources_mutex);
	return ret;
}

static int efd_param_get_source(char *buf, const struct kernel_param *kp)
{
	if (kp->arg == &efd_tick_ms)
		return param_get_uint(buf, kp);
	return param_get_bool(buf, kp);
}

static const struct kernel_param_ops efd_source_ops = {
	.set = efd_param_set_source,
	.get = efd_param_get_source,
};

module_param_cb(netdev, &efd_source_ops, &efd_netdev, 0644);
MODULE_PARM_DESC(netdev, "Record network devices going up, down, changing (default 0)");
module_param_cb(modules, &efd_source_ops, &efd_modules, 0644);
MODULE_PARM_DESC(modules, "Record modules coming, live, going (default 0)");
module_param_cb(input, &efd_source_ops, &efd_input, 0644);
MODULE_PARM_DESC(input, "Record system keys (power, sleep, ...) and switches (lid, ...) (default 0)");
module_param_cb(power, &efd_source_ops, &efd_power, 0644);
MODULE_PARM_DESC(power, "Record power supplies (AC, batteries) changing (default 0)");
module_param_cb(tick_ms, &efd_source_ops, &efd_tick_ms, 0644);
MODULE_PARM_DESC(tick_ms, "Record a tick every tick_ms milliseconds; 0 = off (default)");

/* The values user space reads are the kernel's own, passed through unchanged. */
static void efd_sources_abi_checks(void)
{
	BUILD_BUG_ON(EFD_LKM_NETDEV_UP != NETDEV_UP);
	BUILD_BUG_ON(EFD_LKM_NETDEV_DOWN != NETDEV_DOWN);
	BUILD_BUG_ON(EFD_LKM_NETDEV_CHANGE != NETDEV_CHANGE);
	BUILD_BUG_ON(sizeof_field(struct efd_lkm_netdev, ifname) != IFNAMSIZ);
	BUILD_BUG_ON(sizeof(struct efd_lkm_netdev) > EFD_LKM_DATA_MAX);
	BUILD_BUG_ON(EFD_LKM_MODULE_LIVE != MODULE_STATE_LIVE);
	BUILD_BUG_ON(EFD_LKM_MODULE_COMING != MODULE_STATE_COMING);
	BUILD_BUG_ON(EFD_LKM_MODULE_GOING != MODULE_STATE_GOING);
	BUILD_BUG_ON(sizeof_field(struct efd_lkm_module, name) != MODULE_NAME_LEN);
	BUILD_BUG_ON(sizeof(struct efd_lkm_module) > EFD_LKM_DATA_MAX);
}

int efd_sources_start(void)
{
	int ret;

	efd_sources_abi_checks();
	timer_setup(&efd_tick_timer, efd_tick, 0);
	mutex_lock(&efd_sources_mutex);
	ret = efd_netdev_apply();
	if (ret)
		goto out;
	ret = efd_modules_apply();
	if (ret)
		goto err_netdev;
	ret = efd_input_apply();
	if (ret)
		goto err_modules;
	ret = efd_power_apply();
	if (ret)
		goto err_input;
	efd_tick_apply();
	efd_sources_live = true;
	goto out;

err_input:
	efd_input = false;
	efd_input_apply();
err_modules:
	efd_modules = false;
	efd_modules_apply();
err_netdev:
	efd_netdev = false;
	efd_netdev_apply();
out:
	mutex_unlock(&efd_sources_mutex);
	return ret;
}

void efd_sources_stop(void)
{
	mutex_lock(&efd_sources_mutex);
	efd_sources_live = false;
	efd_netdev = false;
	efd_modules = false;
	efd_input = false;
	efd_power = false;
	efd_tick_ms = 0;
	efd_tick_apply();
	efd_power_apply();
	efd_input_apply();
	efd_modules_apply();
	efd_netdev_apply();
	mutex_unlock(&efd_sources_mutex);
}
