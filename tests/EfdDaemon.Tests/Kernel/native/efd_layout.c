// SPDX-License-Identifier: MIT
/*
 * Prints the layout of struct efd_lkm_event as the C compiler sees it, and writes one sample
 * record of each built-in kind plus a user kind to the file named by argv[1]. The daemon's test
 * compares both with its C# mirror (EfdLkmRecord).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "efd_lkm.h"

#define FIELD(f) printf("offsetof %s %zu\n", #f, offsetof(struct efd_lkm_event, f))

static void put(FILE *out, __u64 seq, __u32 kind, const void *data, __u16 len)
{
	struct efd_lkm_event e;

	memset(&e, 0, sizeof(e));
	e.seq = seq;
	e.ts_ns = 1000000000ULL * seq + 7;
	e.kind = kind;
	e.len = len;
	memcpy(e.data, data, len);
	fwrite(&e, sizeof(e), 1, out);
}

int main(int argc, char **argv)
{
	struct efd_lkm_attached a = { .pid = 4242, .fd = 7 };
	struct efd_lkm_trigger t = { .index = 2, .batch = 3 };
	struct efd_lkm_netdev n = { .ifname = "dummy0", .ifindex = 9, .event = EFD_LKM_NETDEV_UP, .flags = 0x1043 };
	struct efd_lkm_module m = { .name = "efd_lkm_example", .state = EFD_LKM_MODULE_GOING };
	struct efd_lkm_tick k = { .n = 0x0102030405060708ULL };
	unsigned char user[3] = { 0xde, 0xad, 0x01 };
	FILE *out;

	printf("sizeof %zu\n", sizeof(struct efd_lkm_event));
	FIELD(seq);
	FIELD(ts_ns);
	FIELD(kind);
	FIELD(len);
	FIELD(flags);
	FIELD(data);
	printf("abi %d\n", EFD_LKM_ABI_VERSION);
	printf("sizeof len %zu\n", sizeof(((struct efd_lkm_event *)0)->len));
	printf("redelivered %d\n", EFD_LKM_F_REDELIVERED);
	printf("datamax %d\n", EFD_LKM_DATA_MAX);
	if (argc < 2)
		return 0;
	out = fopen(argv[1], "wb");
	if (!out)
		return 1;
	put(out, 1, EFD_LKM_KIND_ATTACHED, &a, sizeof(a));
	put(out, 2, EFD_LKM_KIND_TRIGGER, &t, sizeof(t));
	put(out, 3, EFD_LKM_KIND_NETDEV, &n, sizeof(n));
	put(out, 4, EFD_LKM_KIND_MODULE, &m, sizeof(m));
	put(out, 5, EFD_LKM_KIND_TICK, &k, sizeof(k));
	put(out, 7, 0x1234, user, sizeof(user));
	return fclose(out) ? 1 : 0;
}
