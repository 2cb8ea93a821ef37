// SPDX-License-Identifier: GPL-2.0-only
/*
 * The power source: power supplies changing (AC adapters, batteries, USB power) as POWER
 * records.
 *
 * power_supply_reg_notifier() hooks the power_supply class's notifier chain. On 6.1, 6.12 and
 * 7.x it is a blocking chain (BLOCKING_NOTIFIER_HEAD in drivers/power/supply/power_supply_core.c,
 * exported on 6.1, static since; it was an atomic chain before 5.x), called from each supply's
 * changed_work, after power_supply_changed(): process context, the chain's rwsem held for
 * reading. Sleeping is allowed there, so power_supply_get_property() is called directly, as
 * the core itself does right after the chain when it builds the supply's "change" uevent. A
 * property read may sleep on every kernel (ACPI batteries evaluate AML under a mutex; 7.x
 * takes the supply extensions' rw_semaphore): no deferral is needed, and none would make the
 * values fresher.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/power_supply.h>
#include <linux/string.h>

#include "efd_internal.h"

/* A property's value, -1 when the supply lacks it or it cannot be read. */
static s32 efd_power_prop(struct power_supply *psy, enum power_supply_property psp)
{
	union power_supply_propval val = { };

	if (power_supply_get_property(psy, psp, &val))
		return -1;
	return val.intval;
}

/*
 * Process context, may sleep (see above). The supply is registered throughout:
 * power_supply_unregister() cancels changed_work before the device goes, so desc and the
 * parent device are valid here.
 */
static int efd_power_event(struct notifier_block *nb, unsigned long event, void *data)
{
	struct power_supply *psy = data;
	struct efd_lkm_power rec = { };

	might_sleep();
	if (event != PSY_EVENT_PROP_CHANGED)
		return NOTIFY_DONE;
	strscpy(rec.name, psy->desc->name ?: "", sizeof(rec.name));
	rec.type = psy->desc->type;
	rec.online = efd_power_prop(psy, POWER_SUPPLY_PROP_ONLINE);
	rec.status = efd_power_prop(psy, POWER_SUPPLY_PROP_STATUS);
	rec.capacity = efd_power_prop(psy, POWER_SUPPLY_PROP_CAPACITY);
	if (psy->dev.parent)
		strscpy(rec.parent, dev_name(psy->dev.parent), sizeof(rec.parent));
	efd_emit(EFD_LKM_KIND_POWER, &rec, sizeof(rec), false);
	return NOTIFY_DONE;
}

static struct notifier_block efd_power_nb = {
	.notifier_call = efd_power_event,
};

/* The values user space reads are the kernel's own, passed through unchanged. */
static void efd_power_abi_checks(void)
{
	BUILD_BUG_ON(EFD_LKM_POWER_TYPE_UNKNOWN != POWER_SUPPLY_TYPE_UNKNOWN);
	BUILD_BUG_ON(EFD_LKM_POWER_TYPE_BATTERY != POWER_SUPPLY_TYPE_BATTERY);
	BUILD_BUG_ON(EFD_LKM_POWER_TYPE_UPS != POWER_SUPPLY_TYPE_UPS);
	BUILD_BUG_ON(EFD_LKM_POWER_TYPE_MAINS != POWER_SUPPLY_TYPE_MAINS);
	BUILD_BUG_ON(EFD_LKM_POWER_TYPE_USB != POWER_SUPPLY_TYPE_USB);
	BUILD_BUG_ON(EFD_LKM_POWER_STATUS_UNKNOWN != POWER_SUPPLY_STATUS_UNKNOWN);
	BUILD_BUG_ON(EFD_LKM_POWER_STATUS_CHARGING != POWER_SUPPLY_STATUS_CHARGING);
	BUILD_BUG_ON(EFD_LKM_POWER_STATUS_DISCHARGING != POWER_SUPPLY_STATUS_DISCHARGING);
	BUILD_BUG_ON(EFD_LKM_POWER_STATUS_NOT_CHARGING != POWER_SUPPLY_STATUS_NOT_CHARGING);
	BUILD_BUG_ON(EFD_LKM_POWER_STATUS_FULL != POWER_SUPPLY_STATUS_FULL);
	BUILD_BUG_ON(sizeof(struct efd_lkm_power) > EFD_LKM_DATA_MAX);
}

/* Process context, under efd_sources_mutex. */
int efd_power_start(void)
{
	efd_power_abi_checks();
	return power_supply_reg_notifier(&efd_power_nb);
}

/*
 * Process context, under efd_sources_mutex. Unregistering takes the chain's rwsem for
 * writing, so it waits for a notifier call in flight: none runs after it returns.
 */
void efd_power_stop(void)
{
	power_supply_unreg_notifier(&efd_power_nb);
}
