/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntfs-boot: examples/boot's loader (loader.c) run on a host, with a disk
 * image standing in for the boot disk.
 *
 *   ntfs-boot [--partition N] [--sector-size BYTES] [--max-size BYTES]
 *             [--stats] DISK_IMAGE PATH
 *
 * Loads PATH from the first NTFS partition of DISK_IMAGE (or partition N;
 * or the image itself when it is a bare volume) and writes it to stdout.
 * Everything below is the platform: the POSIX adapter's pread() sector
 * driver (ntfs_posix_read_sectors), a load buffer, and a thread whose
 * stack is measured. The loader itself uses static memory only.
 *
 * Exit status: 0 loaded, 1 failed (a message on stderr), 2 bad usage.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ntfs/posix.h>

#include "loader.h"

#define DEFAULT_MAX_SIZE (64u * 1024u * 1024u)
/* The loader's thread stack, painted to measure how much it used. */
#define STACK_SIZE (1024u * 1024u)
#define STACK_PAINT 0xA5u

static const char *prog = "ntfs-boot";

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [--partition N] [--sector-size BYTES] [--max-size BYTES] [--stats]\n"
	        "                 DISK_IMAGE PATH\n"
	        "Load PATH from the NTFS volume on DISK_IMAGE (the first NTFS partition of its\n"
	        "MBR or GPT, or the image itself when it has no partition table) the way a boot\n"
	        "loader would, with static memory only, and write it to stdout.\n"
	        "  --partition N       partition N (as Linux numbers them) instead\n"
	        "  --sector-size BYTES the disk's sector size: 512, 1024, 2048 or 4096 (default:\n"
	        "                      the device's logical sector size, 512 for a file)\n"
	        "  --max-size BYTES    the load buffer (default %u); a larger file is refused\n"
	        "  --stats             print memory and cache figures to stderr\n"
	        "  --help              this text\n",
	        prog, DEFAULT_MAX_SIZE);
}

static void usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s\n", prog, msg, arg ? ": " : "", arg ? arg : "");
	usage(stderr);
	exit(2);
}

static unsigned long long number(const char *opt, const char *arg)
{
	char *end;
	unsigned long long v;

	if (arg == NULL)
		usage_error("option needs a value", opt);
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || arg[0] == '+')
		usage_error("not a number", arg);
	return v;
}

struct job {
	const struct ntfs_blockdev *disk;
	uint32_t partition;
	const char *path;
	void *buf;
	size_t buf_size;
	struct boot_report rep;
	int err;
};

static void *run_job(void *arg)
{
	struct job *j = arg;

	if (j->disk != NULL)
		j->err = boot_load(j->disk, j->partition, j->path, j->buf, j->buf_size, &j->rep);
	return NULL;
}

/* Run @j on a painted stack of its own; the bytes it touched, or 0. */
static size_t run_measured(struct job *j)
{
	pthread_attr_t attr;
	pthread_t t;
	unsigned char *stack;
	size_t i = 0;

	if (posix_memalign((void **)&stack, 4096, STACK_SIZE) != 0) {
		run_job(j);
		return 0;
	}
	memset(stack, STACK_PAINT, STACK_SIZE);
	if (pthread_attr_init(&attr) != 0 || pthread_attr_setstack(&attr, stack, STACK_SIZE) != 0 ||
	    pthread_create(&t, &attr, run_job, j) != 0) {
		free(stack);
		run_job(j);
		return 0;
	}
	pthread_join(t, NULL);
	pthread_attr_destroy(&attr);
	/* The stack grows down: the lowest byte touched marks the depth. */
	while (i < STACK_SIZE && stack[i] == STACK_PAINT)
		i++;
	free(stack);
	return STACK_SIZE - i;
}

static void report_error(const char *image, const char *path, uint32_t partition,
                         const struct job *j)
{
	const struct boot_report *r = &j->rep;

	switch (r->stage) {
	case BOOT_TABLE:
		fprintf(stderr, "%s: %s: partition table: %s\n", prog, image,
		        ntfs_strerror(j->err));
		break;
	case BOOT_NO_PARTITION:
		if (partition == 0)
			fprintf(stderr, "%s: %s: no NTFS partition\n", prog, image);
		else
			fprintf(stderr, "%s: %s: no partition %u\n", prog, image, partition);
		break;
	case BOOT_NOT_NTFS:
		fprintf(stderr, "%s: %s: partition %u is not an NTFS volume\n", prog, image,
		        partition);
		break;
	case BOOT_MOUNT:
		if (r->partition != 0)
			fprintf(stderr, "%s: %s: partition %u: %s\n", prog, image, r->partition,
			        ntfs_strerror(j->err));
		else
			fprintf(stderr, "%s: %s: %s\n", prog, image, ntfs_strerror(j->err));
		break;
	case BOOT_READ:
		if (j->err == NTFS_ERR_LIMIT) {
			fprintf(stderr,
			        "%s: %s: %llu bytes, larger than the %zu-byte load buffer "
			        "(--max-size): %s\n",
			        prog, path, (unsigned long long)r->file_size, j->buf_size,
			        ntfs_strerror(j->err));
			break;
		}
		/* fall through */
	default:
		fprintf(stderr, "%s: %s: %s\n", prog, path, ntfs_strerror(j->err));
		break;
	}
}

static void print_stats(const struct job *j, size_t stack)
{
	const struct boot_report *r = &j->rep;

	fprintf(stderr, "partition: %u (bytes %llu, length %llu)\n", r->partition,
	        (unsigned long long)r->volume_offset, (unsigned long long)r->volume_length);
	fprintf(stderr, "arena: high-water mark %zu of %zu bytes, %zu in use after unmount\n",
	        r->arena_peak, r->arena_size, r->arena_left);
	fprintf(stderr, "cache: %u slots of %u bytes (%zu bytes), %llu hits, %llu misses\n",
	        r->cache_slots, r->cache_block, r->cache_size, (unsigned long long)r->cache.hits,
	        (unsigned long long)r->cache.misses);
	fprintf(stderr, "other static memory: %zu bytes\n", r->other_static);
	fprintf(stderr, "device: %llu reads, %llu bytes\n",
	        (unsigned long long)r->cache.device_reads,
	        (unsigned long long)r->cache.device_bytes);
	if (stack != 0)
		fprintf(stderr, "stack: %zu bytes\n", stack);
}

int main(int argc, char **argv)
{
	static struct job j, idle;
	struct ntfs_blockdev bd;
	struct ntfs_posix_disk d;
	uint32_t sector_size = 0;
	unsigned long long max_size = DEFAULT_MAX_SIZE, v;
	uint32_t partition = 0;
	size_t stack, base;
	int stats = 0, i;
	const char *image, *path;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--stats") == 0) {
			stats = 1;
		} else if (strcmp(a, "--partition") == 0) {
			v = number(a, argv[++i]);
			if (v == 0 || v > UINT32_MAX)
				usage_error("invalid partition number (1, 2, ...)", argv[i]);
			partition = (uint32_t)v;
		} else if (strcmp(a, "--sector-size") == 0) {
			v = number(a, argv[++i]);
			if (v != 512 && v != 1024 && v != 2048 && v != 4096)
				usage_error("sector size must be 512, 1024, 2048 or 4096", argv[i]);
			sector_size = (uint32_t)v;
		} else if (strcmp(a, "--max-size") == 0) {
			max_size = number(a, argv[++i]);
#if SIZE_MAX < ULLONG_MAX
			if (max_size > SIZE_MAX)
				usage_error("load buffer too large", argv[i]);
#endif
		} else {
			usage_error("unknown option", a);
		}
	}
	if (argc - i != 2)
		usage_error("need DISK_IMAGE and PATH", NULL);
	image = argv[i];
	path = argv[i + 1];

	if (ntfs_posix_disk_open(&d, image) != NTFS_OK) {
		fprintf(stderr, "%s: %s: %s\n", prog, image, strerror(errno));
		return 1;
	}
	if (sector_size != 0)
		d.sector_size = sector_size;
	bd.read_sectors = ntfs_posix_read_sectors;
	bd.ctx = &d;
	bd.sector_size = d.sector_size;
	bd.sector_count = d.size / d.sector_size;
	if (bd.sector_count == 0) {
		fprintf(stderr, "%s: %s: smaller than one %u-byte sector\n", prog, image,
		        d.sector_size);
		ntfs_posix_disk_close(&d);
		return 1;
	}

	j.disk = &bd;
	j.partition = partition;
	j.path = path;
	j.buf_size = (size_t)max_size;
	j.buf = malloc(j.buf_size ? j.buf_size : 1);
	if (j.buf == NULL) {
		fprintf(stderr, "%s: %zu-byte load buffer: %s\n", prog, j.buf_size,
		        strerror(errno));
		return 1;
	}
	stack = run_measured(&j);
	/* What the thread itself takes (its descriptor and TLS sit at the top
	 * of the stack it is given), so that only the loader's share is left. */
	base = run_measured(&idle);
	stack = stack > base ? stack - base : 0;
	ntfs_posix_disk_close(&d);

	if (stats)
		print_stats(&j, stack);
	if (j.err != NTFS_OK) {
		report_error(image, path, partition, &j);
		free(j.buf);
		return 1;
	}
	if (fwrite(j.buf, 1, j.rep.loaded, stdout) != j.rep.loaded || fflush(stdout) != 0) {
		fprintf(stderr, "%s: standard output: %s\n", prog, strerror(errno));
		free(j.buf);
		return 1;
	}
	free(j.buf);
	return 0;
}
