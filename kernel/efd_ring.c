// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm record ring and its reader, /dev/efd_lkm (kernel/README.md, "/dev/efd_lkm").
 *
 * Every event becomes one fixed-size record. The writer never waits for the reader, so events
 * can be raised from any context but NMI: when the ring is full the oldest record is
 * overwritten and counted. One reader at a time; read() hands out whole records only. A
 * reader that writes a __u64 has opted in to acknowledged delivery: what it read stays in the
 * ring until it commits it, and goes to the next open() again if it closes first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "efd_internal.h"

/* Records one read() takes out of the ring under the lock, then copies to user space. */
#define EFD_READ_BATCH	32

/*
 * The ring. @lock is taken irqsave: writers run in hard and soft irq context. Seqs
 * tail..head-1 are kept; record seq s lives in slot s & mask. Of those, tail..next-1 were
 * delivered to an opted-in reader and not committed (empty unless @acked, or after such a
 * reader closed: then next was rewound to tail), and next..head-1 were never delivered.
 * Seqs below @redeliver_end went to an earlier open().
 */
struct efd_ring {
	spinlock_t lock;	/* irqsave; guards what follows but recs and mask */
	struct efd_lkm_event *recs;
	u64 mask;
	u64 head;
	u64 tail;
	u64 next;
	u64 redeliver_end;
	u64 committed;
	u64 dropped;
	u64 dropped_inflight;
	bool acked;		/* the open file has opted in */
	wait_queue_head_t readq;
};

static struct efd_ring efd_ring = {
	.lock = __SPIN_LOCK_UNLOCKED(efd_ring.lock),
	.head = 1,
	.tail = 1,
	.next = 1,
	.redeliver_end = 1,
	.readq = __WAIT_QUEUE_HEAD_INITIALIZER(efd_ring.readq),
};

/* The one open file. */
struct efd_reader {
	struct mutex lock;	/* serialises this file's read() and write() */
	bool acked;
	u64 delivered;		/* highest seq delivered to this file */
	struct efd_lkm_event *batch;	/* EFD_READ_BATCH records: one page */
};

static unsigned long efd_reader_busy;

static void efd_ring_abi_checks(void)
{
	/* The layout user space (and the C# mirror) reads: ABI 2. */
	BUILD_BUG_ON(sizeof(struct efd_lkm_event) != 128);
	BUILD_BUG_ON(offsetof(struct efd_lkm_event, seq) != 0);
	BUILD_BUG_ON(offsetof(struct efd_lkm_event, ts_ns) != 8);
	BUILD_BUG_ON(offsetof(struct efd_lkm_event, kind) != 16);
	BUILD_BUG_ON(offsetof(struct efd_lkm_event, len) != 20);
	BUILD_BUG_ON(offsetof(struct efd_lkm_event, flags) != 22);
	BUILD_BUG_ON(offsetof(struct efd_lkm_event, data) != 24);
	BUILD_BUG_ON(EFD_LKM_DATA_MAX > U16_MAX);
	BUILD_BUG_ON(sizeof(struct efd_lkm_attached) > EFD_LKM_DATA_MAX);
	BUILD_BUG_ON(sizeof(struct efd_lkm_trigger) > EFD_LKM_DATA_MAX);
	BUILD_BUG_ON(sizeof(struct efd_lkm_tick) > EFD_LKM_DATA_MAX);
}

int efd_emit(u32 kind, const void *data, u32 len, bool always_ring)
{
	struct efd_ring *r = &efd_ring;
	struct efd_lkm_event *ev;
	unsigned long flags;
	bool ring, wake;
	u64 ts;

	if (WARN_ON_ONCE(len > EFD_LKM_DATA_MAX))
		return -EINVAL;
	ts = ktime_get_boottime_ns();

	spin_lock_irqsave(&r->lock, flags);
	if (r->head - r->tail > r->mask) {
		/* Delivered and uncommitted, to this open file or to one that closed since. */
		if (r->tail < r->next || r->tail < r->redeliver_end)
			r->dropped_inflight++;
		else
			r->dropped++;
		if (r->next == r->tail)
			r->next++;
		r->tail++;
	}
	/* An opted-in reader that has not caught up will read this one anyway. */
	ring = always_ring || !r->acked || r->next == r->head;
	/*
	 * Readers add themselves to readq before they check for records under this lock, so
	 * a look at the queue inside the lock cannot miss one (no wq_has_sleeper() barrier).
	 */
	wake = waitqueue_active(&r->readq);
	ev = &r->recs[r->head & r->mask];
	ev->seq = r->head++;
	ev->ts_ns = ts;
	ev->kind = kind;
	ev->len = len;
	ev->flags = 0;
	/* A constant-size clear compiles to plain stores; then the payload over it. */
	memset(ev->data, 0, EFD_LKM_DATA_MAX);
	if (len)
		memcpy(ev->data, data, len);
	spin_unlock_irqrestore(&r->lock, flags);

	if (wake)
		wake_up_interruptible_poll(&r->readq, EPOLLIN | EPOLLRDNORM);
	if (ring)
		efd_doorbell();
	return 0;
}

/**
 * efd_lkm_notify() - raise an event of another module's own kind
 * @kind: an opaque kind, EFD_LKM_KIND_USER_MIN..EFD_LKM_KIND_USER_MAX (0x1000..0xFFFF), or
 *	a registered kind (EFD_LKM_KIND_REGISTERED_MIN and up, from efd_lkm_kind_register())
 * @data: the payload, copied into the record
 * @len: bytes of @data, at most EFD_LKM_DATA_MAX (104); for a registered kind exactly its
 *	payload's extent (the largest offset + size of its fields)
 *
 * Adds one record to efd_lkm's ring and rings the attached eventfd as kernel/README.md
 * ("The doorbell") says. Callable from process, softirq and hard irq context and from
 * wait-queue callbacks (IRQs off, inside another eventfd's wake-up, or the attached eventfd's
 * own EPOLLHUP): there the signal is deferred to an irq_work. Not from NMI: the ring's
 * spinlock and the boot-time clock are not NMI-safe. Any module may raise any registered
 * kind whose number it holds (a driver split into modules shares one); numbers are never
 * reused, so a stale number is refused, not misattributed.
 *
 * Return: 0; -EBUSY in NMI context; -EINVAL if @kind is neither an opaque kind nor a kind
 * registered now, @len is too large or not the registered kind's extent, or @data is NULL
 * with a non-zero @len.
 */
int efd_lkm_notify(u32 kind, const void *data, size_t len)
{
	if (in_nmi())
		return -EBUSY;
	if (len > EFD_LKM_DATA_MAX || (len && !data))
		return -EINVAL;
	if (kind >= EFD_LKM_KIND_USER_MIN && kind <= EFD_LKM_KIND_USER_MAX)
		return efd_emit(kind, data, len, false);
	return efd_kinds_emit(kind, data, len);
}
EXPORT_SYMBOL_GPL(efd_lkm_notify);

void efd_ring_stats(struct efd_ring_stats *st)
{
	struct efd_ring *r = &efd_ring;
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	st->events = r->head - 1;
	st->committed = r->committed;
	st->dropped = r->dropped;
	st->dropped_inflight = r->dropped_inflight;
	spin_unlock_irqrestore(&r->lock, flags);
	st->size = r->mask + 1;
}

static bool efd_ring_readable(void)
{
	struct efd_ring *r = &efd_ring;
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&r->lock, flags);
	ret = r->next != r->head;
	spin_unlock_irqrestore(&r->lock, flags);
	return ret;
}

/*
 * Takes up to @max undelivered records into rd->batch and marks them delivered; a plain
 * reader consumes them. Returns how many, and their first seq in @first.
 */
static unsigned int efd_ring_take(struct efd_reader *rd, unsigned int max, u64 *first)
{
	struct efd_ring *r = &efd_ring;
	unsigned long flags;
	unsigned int i, n;

	spin_lock_irqsave(&r->lock, flags);
	n = min_t(u64, max, r->head - r->next);
	*first = r->next;
	for (i = 0; i < n; i++) {
		struct efd_lkm_event *ev = &rd->batch[i];

		*ev = r->recs[(r->next + i) & r->mask];
		if (rd->acked && ev->seq < r->redeliver_end)
			ev->flags = EFD_LKM_F_REDELIVERED;
	}
	r->next += n;
	if (!rd->acked)
		r->tail = r->next;
	spin_unlock_irqrestore(&r->lock, flags);
	return n;
}

/*
 * After copy_to_user(): @done of the @n records from @first reached user space. The others
 * go back to undelivered, except those the writer overwrote meanwhile: counted in dropped.
 */
static void efd_ring_taken(struct efd_reader *rd, u64 first, unsigned int n, unsigned int done)
{
	struct efd_ring *r = &efd_ring;
	u64 back = first + done, end = first + n, lost_to;
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	if (done < n) {
		if (rd->acked) {
			/* Overwritten while in flight, but never delivered: not inflight drops. */
			lost_to = min(r->tail, end);
			if (lost_to > back) {
				r->dropped_inflight -= lost_to - back;
				r->dropped += lost_to - back;
			}
			r->next = max(back, r->tail);
		} else {
			/* Slots of seqs below head - size hold newer records now. */
			lost_to = r->head > r->mask + 1 ? r->head - r->mask - 1 : 1;
			lost_to = max(back, lost_to);
			r->dropped += min(lost_to, end) - back;
			if (lost_to < end)
				r->tail = lost_to;
			r->next = r->tail;
		}
	}
	if (done)
		rd->delivered = back - 1;
	if (!rd->acked && r->next - 1 > r->committed)
		r->committed = r->next - 1;
	spin_unlock_irqrestore(&r->lock, flags);
}

static int efd_dev_open(struct inode *inode, struct file *file)
{
	struct efd_reader *rd;

	if (test_and_set_bit(0, &efd_reader_busy))
		return -EBUSY;
	rd = kzalloc(sizeof(*rd), GFP_KERNEL);
	if (rd)
		rd->batch = kmalloc_array(EFD_READ_BATCH, sizeof(*rd->batch), GFP_KERNEL);
	if (!rd || !rd->batch) {
		kfree(rd);
		clear_bit(0, &efd_reader_busy);
		return -ENOMEM;
	}
	mutex_init(&rd->lock);
	file->private_data = rd;
	return stream_open(inode, file);
}

/* What an opted-in reader did not commit goes to the next open(), first. */
static int efd_dev_release(struct inode *inode, struct file *file)
{
	struct efd_reader *rd = file->private_data;
	struct efd_ring *r = &efd_ring;
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	if (rd->acked) {
		r->acked = false;
		r->redeliver_end = max(r->redeliver_end, r->next);
		r->next = r->tail;
	}
	spin_unlock_irqrestore(&r->lock, flags);
	mutex_destroy(&rd->lock);
	kfree(rd->batch);
	kfree(rd);
	clear_bit(0, &efd_reader_busy);
	return 0;
}

static ssize_t efd_dev_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct efd_reader *rd = file->private_data;
	size_t want = count / sizeof(struct efd_lkm_event), done = 0;
	unsigned int n, copied;
	unsigned long left;
	ssize_t ret;
	u64 first;

	if (!want)
		return -EINVAL;
	if (mutex_lock_interruptible(&rd->lock))
		return -ERESTARTSYS;
	while (!efd_ring_readable()) {
		mutex_unlock(&rd->lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(efd_ring.readq, efd_ring_readable());
		if (ret)
			return ret;
		if (mutex_lock_interruptible(&rd->lock))
			return -ERESTARTSYS;
	}

	while (done < want) {
		n = efd_ring_take(rd, min_t(size_t, want - done, EFD_READ_BATCH), &first);
		if (!n)
			break;
		left = copy_to_user(buf + done * sizeof(struct efd_lkm_event), rd->batch,
				    n * sizeof(struct efd_lkm_event));
		copied = (n * sizeof(struct efd_lkm_event) - left) / sizeof(struct efd_lkm_event);
		efd_ring_taken(rd, first, n, copied);
		done += copied;
		if (copied < n)
			break;
	}
	mutex_unlock(&rd->lock);
	if (!done)
		return -EFAULT;
	return done * sizeof(struct efd_lkm_event);
}

/*
 * A commit: one native __u64, the highest seq the reader has finished with. The first one
 * (0 is fine) opts this open file in to acknowledged delivery.
 */
static ssize_t efd_dev_write(struct file *file, const char __user *buf, size_t count,
			     loff_t *ppos)
{
	struct efd_reader *rd = file->private_data;
	struct efd_ring *r = &efd_ring;
	unsigned long flags;
	ssize_t ret = count;
	u64 seq;

	if (count != sizeof(seq))
		return -EINVAL;
	if (copy_from_user(&seq, buf, sizeof(seq)))
		return -EFAULT;
	if (mutex_lock_interruptible(&rd->lock))
		return -ERESTARTSYS;
	spin_lock_irqsave(&r->lock, flags);
	if (seq > rd->delivered) {
		ret = -EINVAL;
	} else {
		rd->acked = true;
		r->acked = true;
		if (seq > r->committed) {
			r->committed = seq;
			r->tail = max(r->tail, seq + 1);
		}
	}
	spin_unlock_irqrestore(&r->lock, flags);
	mutex_unlock(&rd->lock);
	return ret;
}

static __poll_t efd_dev_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, &efd_ring.readq, wait);
	return efd_ring_readable() ? EPOLLIN | EPOLLRDNORM : 0;
}

static const struct file_operations efd_dev_fops = {
	.owner		= THIS_MODULE,	/* rmmod is refused while the device is open */
	.open		= efd_dev_open,
	.release	= efd_dev_release,
	.read		= efd_dev_read,
	.write		= efd_dev_write,
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
	efd_ring_abi_checks();
	efd_ring.recs = kvcalloc(size, sizeof(*efd_ring.recs), GFP_KERNEL);
	if (!efd_ring.recs)
		return -ENOMEM;
	efd_ring.mask = size - 1;
	return 0;
}

void efd_ring_exit(void)
{
	kvfree(efd_ring.recs);
	efd_ring.recs = NULL;
}

int efd_dev_init(void)
{
	return misc_register(&efd_miscdev);
}

void efd_dev_exit(void)
{
	misc_deregister(&efd_miscdev);
}
