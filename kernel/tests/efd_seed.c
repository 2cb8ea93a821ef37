// SPDX-License-Identifier: GPL-2.0-only
/*
 * The classic eventfd demo, unchanged in spirit: make an eventfd, say where it is, sleep in
 * select() until "insmod efd_lkm.ko pid=<pid> efd=<fd>" signals it, print what was read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <unistd.h>

int main(void)
{
	uint64_t value;
	fd_set rfds;
	int efd;

	efd = eventfd(0, 0);
	if (efd < 0) {
		perror("eventfd");
		return 1;
	}
	printf("pid %d fd %d\n", getpid(), efd);
	fflush(stdout);

	FD_ZERO(&rfds);
	FD_SET(efd, &rfds);
	if (select(efd + 1, &rfds, NULL, NULL, NULL) != 1) {
		perror("select");
		return 1;
	}
	if (read(efd, &value, sizeof(value)) != sizeof(value)) {
		perror("read");
		return 1;
	}
	printf("value read = %llu\n", (unsigned long long)value);
	return 0;
}
