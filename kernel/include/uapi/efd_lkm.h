/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * efd_lkm user-space ABI (version 2): the records read from /dev/efd_lkm, and the commit
 * written to it. kernel/README.md states the whole contract; in short:
 *
 * - read() returns whole records only, every field native-endian. seq starts at 1 for each
 *   load of the module and grows by one per record; a gap means the ring overwrote records
 *   before they were delivered (/sys/kernel/efd_lkm/dropped counts them).
 * - A reader that never writes gets ABI 1 behaviour: a record read is consumed, flags is 0,
 *   and the eventfd is signalled once per record.
 * - Writing one native __u64 switches that open file to acknowledged delivery: the value is
 *   the highest seq the reader has finished with (0 commits nothing, it only opts in). A value
 *   above the last seq delivered to this file: -EINVAL; at or below the committed one: no-op;
 *   a write of another size: -EINVAL. Records delivered but not committed stay in the ring,
 *   and the next open() receives them again, first and in seq order, with
 *   EFD_LKM_F_REDELIVERED set for a reader that has opted in.
 * - While an opted-in reader has the device open, a record signals the eventfd only if that
 *   reader had read every earlier record: read the eventfd, then the device until it returns
 *   fewer records than asked for (or -EAGAIN).
 *
 * ABI 2 grows without a new number: new kinds, and new payload bytes within len. Only a change
 * to the record header or to the meaning of an existing field is a new ABI version.
 */
#ifndef _UAPI_EFD_LKM_H
#define _UAPI_EFD_LKM_H

#include <linux/types.h>

#define EFD_LKM_ABI_VERSION	2

#define EFD_LKM_DATA_MAX	104

/*
 * Kinds. Below 0x1000: built in, described in /sys/kernel/efd_lkm/kinds/<kind>/.
 * 0x1000..0xFFFF: opaque kinds of other modules through efd_lkm_notify(), undescribed.
 * From 0x10000: kinds other modules registered with efd_lkm_kind_register(), numbered up from
 * EFD_LKM_KIND_REGISTERED_MIN and never reused within one load of efd_lkm; each is described
 * in sysfs like the built-in ones, and a KIND record announces its registration and its end.
 */
#define EFD_LKM_KIND_ATTACHED	1
#define EFD_LKM_KIND_TRIGGER	2
#define EFD_LKM_KIND_NETDEV	3
#define EFD_LKM_KIND_MODULE	4
#define EFD_LKM_KIND_TICK	5
#define EFD_LKM_KIND_INPUT	6
#define EFD_LKM_KIND_POWER	7
/* Reserved for sources still to come (DESIGN.md, contract 2): not raised yet, no payload yet. */
#define EFD_LKM_KIND_IFADDR	8
#define EFD_LKM_KIND_PM		9
#define EFD_LKM_KIND_CPU	10
#define EFD_LKM_KIND_KIND	11
#define EFD_LKM_KIND_USER_MIN	0x1000
#define EFD_LKM_KIND_USER_MAX	0xFFFF
#define EFD_LKM_KIND_REGISTERED_MIN	0x10000

/*
 * Field types of a kind's format (/sys/kernel/efd_lkm/kinds/<kind>/format names them
 * u8 u16 u32 u64 s8 s16 s32 s64 str bytes ipv4 ipv6). Integers are native-endian, of their
 * size (1, 2, 4 or 8 bytes); str is NUL-padded to its size; ipv4 (4 bytes) and ipv6 (16) are
 * addresses in network byte order.
 */
#define EFD_LKM_FIELD_U8	1
#define EFD_LKM_FIELD_U16	2
#define EFD_LKM_FIELD_U32	3
#define EFD_LKM_FIELD_U64	4
#define EFD_LKM_FIELD_S8	5
#define EFD_LKM_FIELD_S16	6
#define EFD_LKM_FIELD_S32	7
#define EFD_LKM_FIELD_S64	8
#define EFD_LKM_FIELD_STR	9
#define EFD_LKM_FIELD_BYTES	10
#define EFD_LKM_FIELD_IPV4	11
#define EFD_LKM_FIELD_IPV6	12

#define EFD_LKM_KIND_NAME_MAX	63	/* bytes of a registered kind's name: [a-z0-9_.]+ */
#define EFD_LKM_FIELD_NAME_MAX	32	/* bytes of a field's name: [a-z0-9_]+ */

/* struct efd_lkm_event.flags */
#define EFD_LKM_F_REDELIVERED	0x0001	/* an earlier open() received it and did not commit it */

struct efd_lkm_event {
	__u64 seq;	/* 1, 2, 3, ... per module load; a gap means dropped records */
	__u64 ts_ns;	/* ktime_get_boottime_ns() when the event was raised */
	__u32 kind;	/* EFD_LKM_KIND_* */
	__u16 len;	/* bytes used in data[], at most EFD_LKM_DATA_MAX */
	__u16 flags;	/* EFD_LKM_F_*; always 0 for a reader that has not opted in */
	__u8  data[EFD_LKM_DATA_MAX];
};

/* EFD_LKM_KIND_ATTACHED: the eventfd that now receives the doorbell. */
struct efd_lkm_attached {
	__s32 pid;
	__s32 fd;
};

/* EFD_LKM_KIND_TRIGGER: the index-th (1-based) of batch records from one write to trigger. */
struct efd_lkm_trigger {
	__u32 index;
	__u32 batch;
};

/* EFD_LKM_KIND_NETDEV: event is the kernel's NETDEV_* value, flags the device's IFF_*. */
#define EFD_LKM_NETDEV_UP	1
#define EFD_LKM_NETDEV_DOWN	2
#define EFD_LKM_NETDEV_CHANGE	4

struct efd_lkm_netdev {
	char  ifname[16];
	__u32 ifindex;
	__u32 event;
	__u32 flags;
};

/* EFD_LKM_KIND_MODULE: state is the kernel's MODULE_STATE_* value. */
#define EFD_LKM_MODULE_LIVE	0
#define EFD_LKM_MODULE_COMING	1
#define EFD_LKM_MODULE_GOING	2

struct efd_lkm_module {
	char  name[56];
	__u32 state;
};

/* EFD_LKM_KIND_TICK: n counts ticks since tick_ms was last switched on. */
struct efd_lkm_tick {
	__u64 n;
};

/*
 * EFD_LKM_KIND_INPUT: a system key or switch of an input device; device is that device's
 * name (NUL-padded, cut at 31 bytes). type, code and value are the kernel's input event,
 * unchanged: EV_KEY with one of the keys below and value 1 (press) or 0 (release), never 2
 * (autorepeat) and never any other key; or EV_SW with any SW_* code and its new state
 * (SW_LID 1: the lid closed).
 */
#define EFD_LKM_INPUT_EV_KEY		0x01
#define EFD_LKM_INPUT_EV_SW		0x05
#define EFD_LKM_INPUT_KEY_POWER		116
#define EFD_LKM_INPUT_KEY_SLEEP		142
#define EFD_LKM_INPUT_KEY_WAKEUP	143
#define EFD_LKM_INPUT_KEY_SUSPEND	205
#define EFD_LKM_INPUT_KEY_BATTERY	236
#define EFD_LKM_INPUT_KEY_RFKILL	247
#define EFD_LKM_INPUT_SW_LID		0x00
#define EFD_LKM_INPUT_SW_TABLET_MODE	0x01

struct efd_lkm_input {
	char  device[32];
	__u16 type;
	__u16 code;
	__s32 value;
};

/*
 * EFD_LKM_KIND_POWER: power supply name changed. type is the kernel's POWER_SUPPLY_TYPE_*,
 * status its POWER_SUPPLY_STATUS_*, capacity a percentage, online 0 or 1 (some USB supplies
 * report 2); each of online, status and capacity is -1 when the supply lacks the property or
 * it could not be read. parent is the name of the supply's parent device (an AC adapter's
 * "ACPI0003:00"), empty when it has none; both names are NUL-padded, cut to fit.
 */
#define EFD_LKM_POWER_TYPE_UNKNOWN		0
#define EFD_LKM_POWER_TYPE_BATTERY		1
#define EFD_LKM_POWER_TYPE_UPS			2
#define EFD_LKM_POWER_TYPE_MAINS		3
#define EFD_LKM_POWER_TYPE_USB			4
#define EFD_LKM_POWER_STATUS_UNKNOWN		0
#define EFD_LKM_POWER_STATUS_CHARGING		1
#define EFD_LKM_POWER_STATUS_DISCHARGING	2
#define EFD_LKM_POWER_STATUS_NOT_CHARGING	3
#define EFD_LKM_POWER_STATUS_FULL		4

struct efd_lkm_power {
	char  name[32];
	__u32 type;
	__s32 online;
	__s32 status;
	__s32 capacity;
	char  parent[24];
};

/*
 * EFD_LKM_KIND_KIND: kind was registered (registered 1) or unregistered (0); name as
 * registered, NUL-padded. When this record can be read, /sys/kernel/efd_lkm/kinds/<kind>/
 * already shows it (registered reads the same value); no record of kind follows its
 * registered-0 record.
 */
struct efd_lkm_kind {
	__u32 kind;
	__u32 registered;
	char  name[EFD_LKM_KIND_NAME_MAX + 1];
};

#endif /* _UAPI_EFD_LKM_H */
