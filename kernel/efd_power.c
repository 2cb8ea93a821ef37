// SPDX-License-Identifier: GPL-2.0-only
/*
 * The power source: power supplies changing (AC adapters, batteries, USB power) as POWER
 * records.
 *
 * power_supply_reg_notifier() hooks the power_supply class's notifier chain, called from each
 * supply's changed_work (process context) after power_supply_changed(). On 6.1 the chain is a
 * blocking one (drivers/power/supply/power_supply_core.c); on 6.12 and 7.x its head is private
 * to the core (no longer declared in <linux/power_supply.h>) and it has been an atomic chain in
 * earlier kernels, so the callback assumes the stricter: it never sleeps. Reading a property
 * may sleep on every kernel (ACPI batteries evaluate AML under a mutex; on 7.x the core takes
 * the supply extensions' rw_semaphore), so the callback copies what it can read without
 * sleeping (the names, the type), takes a reference on the supply's device and hands it to a
 * work item, which reads online, status and capacity with power_supply_get_property() and
 * makes the record. Changes closer together than the work item runs give one record each, in
 * order, each with the values at the time the work item read them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/notifier.h>
#include <linux/power_supply.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "efd_internal.h"

struct efd_power_change {
	struct list_head node;
	struct power_supply *psy;	/* holds a reference on psy->dev */
	struct efd_lkm_power rec;	/* name, type and parent filled in */
};

/* efd_power_lock guards efd_power_pending; taken from the notifier, so with IRQs off. */
static DEFINE_SPINLOCK(efd_power_lock);
static LIST_HEAD(efd_power_pending);

static void efd_power_work_fn(struct work_struct *work);
static DECLARE_WORK(efd_power_work, efd_power_work_fn);

/* A property's value, -1 when the supply lacks it or it cannot be read (or has gone). */
static s32 efd_power_prop(struct power_supply *psy, enum power_supply_property psp)
{
	union power_supply_propval val = { };

	if (power_supply_get_property(psy, psp, &val))
		return -1;
	return val.intval;
}

/*
 * Process context (the system workqueue): may sleep. A supply unregistered since its
 * notification answers -ENODEV to every property: its record then reads -1 for each.
 */
static void efd_power_work_fn(struct work_struct *work)
{
	struct efd_power_change *c;

	for (;;) {
		spin_lock_irq(&efd_power_lock);
		c = list_first_entry_or_null(&efd_power_pending, struct efd_power_change, node);
		if (c)
			list_del(&c->node);
		spin_unlock_irq(&efd_power_lock);
		if (!c)
			return;
		c->rec.online = efd_power_prop(c->psy, POWER_SUPPLY_PROP_ONLINE);
		c->rec.status = efd_power_prop(c->psy, POWER_SUPPLY_PROP_STATUS);
		c->rec.capacity = efd_power_prop(c->psy, POWER_SUPPLY_PROP_CAPACITY);
		efd_emit(EFD_LKM_KIND_POWER, &c->rec, sizeof(c->rec), false);
		put_device(&c->psy->dev);
		kfree(c);
	}
}

/*
 * The notifier: treated as atomic (see the top of this file). The supply is
 * registered throughout (power_supply_unregister() cancels changed_work first), so its desc
 * and parent can be read here; the reference keeps the struct for the work item.
 */
static int efd_power_event(struct notifier_block *nb, unsigned long event, void *data)
{
	struct power_supply *psy = data;
	struct efd_power_change *c;
	unsigned long flags;

	if (event != PSY_EVENT_PROP_CHANGED)
		return NOTIFY_DONE;
	c = kzalloc(sizeof(*c), GFP_ATOMIC);
	if (!c)
		return NOTIFY_DONE;
	strscpy(c->rec.name, psy->desc->name ?: "", sizeof(c->rec.name));
	c->rec.type = psy->desc->type;
	if (psy->dev.parent)
		strscpy(c->rec.parent, dev_name(psy->dev.parent), sizeof(c->rec.parent));
	c->psy = psy;
	get_device(&psy->dev);

	spin_lock_irqsave(&efd_power_lock, flags);
	list_add_tail(&c->node, &efd_power_pending);
	spin_unlock_irqrestore(&efd_power_lock, flags);
	schedule_work(&efd_power_work);
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
 * Process context, under efd_sources_mutex. Unregistering waits for a notifier call in flight
 * (the chain's rwsem, or an RCU grace period for an atomic chain); then the work item is
 * waited for, and changes it had not reached yet are dropped.
 */
void efd_power_stop(void)
{
	struct efd_power_change *c, *tmp;
	LIST_HEAD(gone);

	power_supply_unreg_notifier(&efd_power_nb);
	cancel_work_sync(&efd_power_work);
	spin_lock_irq(&efd_power_lock);
	list_splice_init(&efd_power_pending, &gone);
	spin_unlock_irq(&efd_power_lock);
	list_for_each_entry_safe(c, tmp, &gone, node) {
		put_device(&c->psy->dev);
		kfree(c);
	}
}
