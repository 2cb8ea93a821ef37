// SPDX-License-Identifier: GPL-2.0-only
/*
 * The input source: system keys and switches (the power button, the lid) as INPUT records.
 *
 * An input_handler beside evdev: it never grabs a device, so every other handler (evdev,
 * hence logind and acpid) still sees each event. Its id table matches only devices that can
 * report a system key or a switch, and its event callback drops everything but those keys'
 * presses and releases and switch changes: it cannot be used to log typing, even on a
 * keyboard that also has a power key.
 *
 * The same handler code runs on 6.1, 6.12 and 7.x: only the single-event ->event() callback is
 * used, which the input core calls for each value on every one of them (6.11 changed the
 * signature of ->events(), not of ->event()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/input.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "efd_internal.h"

#define EFD_INPUT_KEY(word, mask) {						\
	.flags = INPUT_DEVICE_ID_MATCH_EVBIT | INPUT_DEVICE_ID_MATCH_KEYBIT,	\
	.evbit = { BIT_MASK(EV_KEY) },						\
	.keybit = { [word] = mask },						\
}

/* No MODULE_DEVICE_TABLE: udev must not load efd_lkm because a power button exists. */
static const struct input_device_id efd_input_ids[] = {
	EFD_INPUT_KEY(BIT_WORD(KEY_POWER), BIT_MASK(KEY_POWER)),
	EFD_INPUT_KEY(BIT_WORD(KEY_SLEEP), BIT_MASK(KEY_SLEEP)),
	EFD_INPUT_KEY(BIT_WORD(KEY_SUSPEND), BIT_MASK(KEY_SUSPEND)),
	EFD_INPUT_KEY(BIT_WORD(KEY_WAKEUP), BIT_MASK(KEY_WAKEUP)),
	EFD_INPUT_KEY(BIT_WORD(KEY_BATTERY), BIT_MASK(KEY_BATTERY)),
	EFD_INPUT_KEY(BIT_WORD(KEY_RFKILL), BIT_MASK(KEY_RFKILL)),
	{
		.flags = INPUT_DEVICE_ID_MATCH_EVBIT,
		.evbit = { BIT_MASK(EV_SW) },
	},
	{ }
};

static bool efd_input_wanted(unsigned int type, unsigned int code, int value)
{
	if (type == EV_SW)
		return true;
	if (type != EV_KEY || (value != 0 && value != 1))
		return false;
	switch (code) {
	case KEY_POWER:
	case KEY_SLEEP:
	case KEY_SUSPEND:
	case KEY_WAKEUP:
	case KEY_BATTERY:
	case KEY_RFKILL:
		return true;
	}
	return false;
}

/*
 * Called by the input core under the device's event_lock, with IRQs off and inside an RCU
 * read-side section (input_event() may itself run in a hard interrupt): no sleeping, no lock
 * that is taken with IRQs on. efd_emit() is safe in any context but NMI.
 */
static void efd_input_event(struct input_handle *handle, unsigned int type,
			    unsigned int code, int value)
{
	struct efd_lkm_input rec = { };

	if (!efd_input_wanted(type, code, value))
		return;
	strscpy(rec.device, handle->dev->name ?: "", sizeof(rec.device));
	rec.type = type;
	rec.code = code;
	rec.value = value;
	efd_emit(EFD_LKM_KIND_INPUT, &rec, sizeof(rec), false);
}

/* Process context, under the input core's input_mutex. */
static int efd_input_connect(struct input_handler *handler, struct input_dev *dev,
			     const struct input_device_id *id)
{
	struct input_handle *handle;
	int ret;

	handle = kzalloc(sizeof(*handle), GFP_KERNEL);
	if (!handle)
		return -ENOMEM;
	handle->dev = dev;
	handle->handler = handler;
	handle->name = KBUILD_MODNAME;

	ret = input_register_handle(handle);
	if (ret)
		goto err_free;
	ret = input_open_device(handle);
	if (ret)
		goto err_unregister;
	return 0;

err_unregister:
	input_unregister_handle(handle);
err_free:
	kfree(handle);
	return ret;
}

/*
 * Process context, under input_mutex. input_close_device() and input_unregister_handle()
 * wait for an RCU grace period, so no ->event() of this handle still runs when it is freed.
 */
static void efd_input_disconnect(struct input_handle *handle)
{
	input_close_device(handle);
	input_unregister_handle(handle);
	kfree(handle);
}

static struct input_handler efd_input_handler = {
	.event = efd_input_event,
	.connect = efd_input_connect,
	.disconnect = efd_input_disconnect,
	.name = KBUILD_MODNAME,
	.id_table = efd_input_ids,
};

/* The values user space reads are the kernel's own, passed through unchanged. */
static void efd_input_abi_checks(void)
{
	BUILD_BUG_ON(EFD_LKM_INPUT_EV_KEY != EV_KEY);
	BUILD_BUG_ON(EFD_LKM_INPUT_EV_SW != EV_SW);
	BUILD_BUG_ON(EFD_LKM_INPUT_KEY_POWER != KEY_POWER);
	BUILD_BUG_ON(EFD_LKM_INPUT_KEY_SLEEP != KEY_SLEEP);
	BUILD_BUG_ON(EFD_LKM_INPUT_KEY_SUSPEND != KEY_SUSPEND);
	BUILD_BUG_ON(EFD_LKM_INPUT_KEY_WAKEUP != KEY_WAKEUP);
	BUILD_BUG_ON(EFD_LKM_INPUT_KEY_BATTERY != KEY_BATTERY);
	BUILD_BUG_ON(EFD_LKM_INPUT_KEY_RFKILL != KEY_RFKILL);
	BUILD_BUG_ON(EFD_LKM_INPUT_SW_LID != SW_LID);
	BUILD_BUG_ON(EFD_LKM_INPUT_SW_TABLET_MODE != SW_TABLET_MODE);
	BUILD_BUG_ON(KEY_MAX > U16_MAX || SW_MAX > U16_MAX);
	BUILD_BUG_ON(sizeof(struct efd_lkm_input) > EFD_LKM_DATA_MAX);
}

/*
 * Process context, under efd_sources_mutex. Registering connects every matching device now
 * present, and later ones as they appear.
 */
int efd_input_start(void)
{
	efd_input_abi_checks();
	return input_register_handler(&efd_input_handler);
}

/* Process context, under efd_sources_mutex: disconnects every device, as described above. */
void efd_input_stop(void)
{
	input_unregister_handler(&efd_input_handler);
}
