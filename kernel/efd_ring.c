// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm record ring and its reader, /dev/efd_lkm.
 *
 * Every event becomes one fixed-size record. The ring overwrites its oldest record when full
 * and counts it in "dropped": the writer never waits for the reader, so events can be raised
 * from any context. One reader at a time; read() hands out whole records only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "efd_internal.h"

/*
 * efd_ring_lock (irqsave: writers run in hard and soft irq context) protects the ring and
 * its counters. Record seq s lives in slot s & efd_mask; seqs efd_tail..efd_head-1 are
 * unread (efd_head is the next seq to write, both start at 1).
 */
static DEFINE_SPINLOCK(efd_ring_lock);
static struct efd_lkm_event *efd_ring;
static unsigned int efd_mask;
static u64 efd_head = 1;
static u64 efd_tail = 1;
static u64 efd_dropped;

static DECLARE_WAIT_QUEUE_HEAD(efd_readq);
static unsigned long efd_reader_busy;

int efd_emit(u32 kind, const void *data, u32 len)
{
	unsigned long flags;
	struct efd_lkm_event *ev;
	u64 ts = ktime_get_boottime_ns();

	if (WARN_ON_ONCE(len > EFD_LKM_DATA_MAX))
		return -EINVAL;

	spin_lock_irqsave(&efd_ring_lock, flags);
	if (efd_head - efd_tail > efd_mask) {
		efd_tail++;
		efd_dropped++;
	}
	ev = &efd_ring[efd_head & efd_mask];
	ev->seq = efd_head++;
	ev->ts_ns = ts;
	ev->kind = kind;
	ev->len = len;
	if (len)
		memcpy(ev->data, data, len);
	memset(ev->data + len, 0, EFD_LKM_DATA_MAX - len);
	spin_unlock_irqrestore(&efd_ring_lock, flags);

	wake_up_interruptible_poll(&efd_readq, EPOLLIN | EPOLLRDNORM);
	efd_doorbell();
	return 0;
}

/**
 * efd_lkm_notify() - raise an event of another module's own kind
 * @kind: the event kind, EFD_LKM_KIND_USER_MIN..EFD_LKM_KIND_USER_MAX (0x1000..0xFFFF)
 * @data: the payload, copied into the record
 * @len: bytes of @data, at most EFD_LKM_DATA_MAX (104)
 *
 * Adds one record to efd_lkm's ring and, when an eventfd is attached, signals it once.
 * Callable from any context, including hard interrupts and eventfd wake-up callbacks
 * (the signal is then deferred to an irq_work).
 *
 * Return: 0, or -EINVAL if @kind is outside the user range, @len is too large, or @data
 * is NULL with a non-zero @len.
 */
int efd_lkm_notify(u32 kind, const void *data, size_t len)
{
	if (kind < EFD_LKM_KIND_USER_MIN || kind > EFD_LKM_KIND_USER_MAX)
		return -EINVAL;
	if (len > EFD_LKM_DATA_MAX || (len && !data))
		return -EINVAL;
	return efd_emit(kind, data, len);
}
EXPORT_SYMBOL_GPL(efd_lkm_notify);

u64 efd_ring_events(void)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&efd_ring_lock, flags);
	n = efd_head - 1;
	spin_unlock_irqrestore(&efd_ring_lock, flags);
	return n;
}

u64 efd_ring_dropped(void)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&efd_ring_lock, flags);
	n = efd_dropped;
	spin_unlock_irqrestore(&efd_ring_lock, flags);
	return n;
}

unsigned int efd_ring_size(void)
{
	return efd_mask + 1;
}

static bool efd_ring_empty(void)
{
	unsigned long flags;
	bool empty;

	spin_lock_irqsave(&efd_ring_lock, flags);
	empty = efd_head == efd_tail;
	spin_unlock_irqrestore(&efd_ring_lock, flags);
	return empty;
}

/* Takes the oldest unread record into @ev; false when the ring is empty. */
static bool efd_ring_pop(struct efd_lkm_event *ev)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&efd_ring_lock, flags);
	if (efd_head != efd_tail) {
		*ev = efd_ring[efd_tail & efd_mask];
		efd_tail++;
		ok = true;
	}
	spin_unlock_irqrestore(&efd_ring_lock, flags);
	return ok;
}

static int efd_dev_open(struct inode *inode, struct file *file)
{
	if (test_and_set_bit(0, &efd_reader_busy))
		return -EBUSY;
	return stream_open(inode, file);
}

static int efd_dev_release(struct inode *inode, struct file *file)
{
	clear_bit(0, &efd_reader_busy);
	return 0;
}

static ssize_t efd_dev_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct efd_lkm_event ev;
	size_t done = 0;
	int ret;

	if (count < sizeof(ev))
		return -EINVAL;

	while (efd_ring_empty()) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(efd_readq, !efd_ring_empty());
		if (ret)
			return ret;
	}

	while (count - done >= sizeof(ev) && efd_ring_pop(&ev)) {
		if (copy_to_user(buf + done, &ev, sizeof(ev)))
			return done ? done : -EFAULT;
		done += sizeof(ev);
	}
	return done;
}

static __poll_t efd_dev_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, &efd_readq, wait);
	return efd_ring_empty() ? 0 : EPOLLIN | EPOLLRDNORM;
}

static const struct file_operations efd_dev_fops = {
	.owner		= THIS_MODULE,	/* rmmod is refused while the device is open */
	.open		= efd_dev_open,
	.release	= efd_dev_release,
	.read		= efd_dev_read,
	.poll		= efd_dev_poll,
};

static struct miscdevice efd_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "efd_lkm",
	.fops	= &efd_dev_fops,
	.mode	= 0600,
};

int efd_ring_init(unsigned int size)
{
	efd_ring = kvcalloc(size, sizeof(*efd_ring), GFP_KERNEL);
	if (!efd_ring)
		return -ENOMEM;
	efd_mask = size - 1;
	return 0;
}

void efd_ring_exit(void)
{
	kvfree(efd_ring);
	efd_ring = NULL;
}

int efd_dev_init(void)
{
	return misc_register(&efd_miscdev);
}

void efd_dev_exit(void)
{
	misc_deregister(&efd_miscdev);
}
