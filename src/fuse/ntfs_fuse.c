/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FUSE adapter's session: libfuse3's low-level API over the core.
 * nfuse_run mounts and serves; the op table names which file answers
 * what (internal.h lists the files).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS;
	conn->want &= ~(unsigned)FUSE_CAP_WRITEBACK_CACHE;
}

static void op_destroy(void *userdata)
{
	struct nfuse *fs = userdata;
	int n = atomic_load(&fs->nslots);

	if (n == 0)
		return; /* nothing mounted, or destroyed already */

	/* NTFS_STATS: what the session cost, as the other tools report it
	 * (seen in the foreground, -f). */
	if (getenv("NTFS_STATS") != NULL) {
		for (int i = 0; i < n; i++) {
			const struct ntfs_cache_stats *cs = &fs->slots[i].cache.stats;

			fprintf(stderr,
			        "ntfs-mount: stats: handle %d: cache %llu hits, %llu misses, %llu "
			        "blocks read ahead\n",
			        i, (unsigned long long)cs->hits, (unsigned long long)cs->misses,
			        (unsigned long long)cs->readahead);
		}
		fprintf(stderr, "ntfs-mount: stats: %d volume handles\n", n);
	}
	for (int i = 0; i < n; i++)
		nfuse_slot_close(&fs->slots[i]);
	atomic_store(&fs->nslots, 0);
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	/* Nodes hold no state: there is nothing to release. */
	(void)ino;
	(void)nlookup;
	fuse_reply_none(req);
}

static void op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	(void)count;
	(void)forgets;
	fuse_reply_none(req);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct nfuse *fs = fuse_req_userdata(req);
	struct ntfs_volume_info info;
	struct statvfs sv;
	struct nfuse_slot *s;
	int err = NTFS_OK;

	(void)ino;
	s = nfuse_slot_get(fs);
	if (s == NULL) {
		fuse_reply_err(req, EIO);
		return;
	}
	ntfs_volume_info(s->vol, &info);
	pthread_mutex_lock(&fs->statfs_lock);
	if (!fs->free_known) {
		err = ntfs_volume_free_clusters(s->vol, &fs->free_clusters);
		/* Without the MFT's counts, df still shows space: no inodes. */
		if (err == NTFS_OK && ntfs_volume_mft_usage(s->vol, &fs->mft) != NTFS_OK)
			memset(&fs->mft, 0, sizeof(fs->mft));
		fs->free_known = err == NTFS_OK;
	}
	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = info.cluster_size;
	sv.f_frsize = info.cluster_size;
	sv.f_blocks = (fsblkcnt_t)info.total_clusters;
	sv.f_bfree = (fsblkcnt_t)fs->free_clusters;
	sv.f_bavail = (fsblkcnt_t)fs->free_clusters;
	/* As ntfs-3g counts them: records the MFT bitmap has room for, plus
	 * those the free clusters could hold; free, all but those in use. */
	{
		uint64_t more = fs->free_clusters;

		/* Both terms stay below the volume's bytes / 8: no sum wraps. */
		if (fs->mft.bitmap_records == 0)
			more = 0;
		else if (info.cluster_size >= info.record_size)
			more *= info.cluster_size / info.record_size;
		else
			more /= info.record_size / info.cluster_size;
		sv.f_files = (fsfilcnt_t)(fs->mft.bitmap_records + more);
		sv.f_ffree = (fsfilcnt_t)(fs->mft.bitmap_records - fs->mft.in_use + more);
		sv.f_favail = sv.f_ffree;
	}
	sv.f_namemax = NTFS_NAME_MAX_UTF16;
	sv.f_flag = ST_RDONLY;
	pthread_mutex_unlock(&fs->statfs_lock);
	nfuse_slot_put(s);
	if (err != NTFS_OK)
		fuse_reply_err(req, nfuse_errno(err));
	else
		fuse_reply_statfs(req, &sv);
}

/* ignore_case: the lower case of each unit as lowntfs-3g makes it from the
 * volume's $UpCase (of the units that upper-case to it, the last), never
 * a unit a name cannot hold ('/', NUL) or one that could make "." or "..". */
static int build_locase(struct nfuse *fs)
{
	struct nfuse_slot *s = nfuse_slot_get(fs);

	fs->locase = malloc(65536 * sizeof(*fs->locase));
	if (s == NULL || fs->locase == NULL) {
		fprintf(stderr, "ntfs-mount: ignore_case: %s\n",
		        s == NULL ? "cannot mount the volume" : strerror(ENOMEM));
		if (s != NULL)
			nfuse_slot_put(s);
		return -1;
	}
	for (uint32_t u = 0; u < 65536; u++)
		fs->locase[u] = (uint16_t)u;
	for (uint32_t l = 0; l < 65536; l++) {
		uint16_t u = ntfs_upcase(s->vol, (uint16_t)l);

		if (u != l && l != 0 && l != '/' && l != '.')
			fs->locase[u] = (uint16_t)l;
	}
	nfuse_slot_put(s);
	return 0;
}

static const struct fuse_lowlevel_ops nfuse_ops = {
        .init = op_init,
        .destroy = op_destroy,
        .lookup = nfuse_dir_lookup,
        .forget = op_forget,
        .forget_multi = op_forget_multi,
        .getattr = nfuse_attr_getattr,
        .readlink = nfuse_attr_readlink,
        .open = nfuse_file_open,
        .read = nfuse_file_read,
        .release = nfuse_file_release,
        .opendir = nfuse_dir_opendir,
        .readdir = nfuse_dir_readdir,
        .readdirplus = nfuse_dir_readdirplus,
        .releasedir = nfuse_dir_releasedir,
        .statfs = op_statfs,
        .getxattr = nfuse_xattr_get,
        .listxattr = nfuse_xattr_list,
        .setattr = nfuse_erofs_setattr,
        .mknod = nfuse_erofs_mknod,
        .mkdir = nfuse_erofs_mkdir,
        .unlink = nfuse_erofs_unlink,
        .rmdir = nfuse_erofs_unlink,
        .symlink = nfuse_erofs_symlink,
        .rename = nfuse_erofs_rename,
        .link = nfuse_erofs_link,
        .write = nfuse_erofs_write,
        .create = nfuse_erofs_create,
        .setxattr = nfuse_erofs_setxattr,
        .removexattr = nfuse_erofs_removexattr,
        .fallocate = nfuse_erofs_fallocate,
        .copy_file_range = nfuse_erofs_copy_file_range,
};

/* ---- the session -------------------------------------------------------- */

int nfuse_run(const struct nfuse_source *src, const struct nfuse_options *opts, const char *fsname,
              const char *mountpoint, bool foreground, bool debug)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_loop_config *loop = NULL;
	struct fuse_session *se = NULL;
	struct nfuse *fs;
	char *mopts = NULL;
	int status = 1;

	fs = calloc(1, sizeof(*fs));
	if (fs == NULL) {
		perror("ntfs-mount");
		return 1;
	}
	fs->src = *src;
	fs->opts = *opts;
	fs->mountpoint = realpath(mountpoint, NULL);
	if (fs->mountpoint == NULL) {
		fprintf(stderr, "ntfs-mount: %s: %s\n", mountpoint, strerror(errno));
		free(fs);
		return 1;
	}
	nfuse_slot_init(fs);
	pthread_mutex_init(&fs->statfs_lock, NULL);
	if (opts->ignore_case && build_locase(fs) != 0)
		goto out;
	/* The kernel refuses every write itself: "ro". default_permissions
	 * makes it check the modes, owners and masks shown. */
	if (fuse_opt_add_arg(&args, "ntfs-mount") != 0 ||
	    fuse_opt_add_opt(&mopts, "ro,default_permissions,subtype=ntfs") != 0 ||
	    (opts->allow_other && fuse_opt_add_opt(&mopts, "allow_other") != 0) ||
	    fuse_opt_add_opt_escaped(&mopts, fsname) != 0 || fuse_opt_add_arg(&args, "-o") != 0)
		goto out;
	{
		/* fuse_opt_add_opt_escaped added the name alone: make it fsname=. */
		char *last = strrchr(mopts, ',');
		size_t pre = last != NULL ? (size_t)(last - mopts) + 1 : 0;
		size_t total = strlen(mopts) + sizeof("fsname=");
		char *o = malloc(total);

		if (o == NULL)
			goto out;
		memcpy(o, mopts, pre);
		snprintf(o + pre, total - pre, "fsname=%s", mopts + pre);
		free(mopts);
		mopts = o;
	}
	if (fuse_opt_add_arg(&args, mopts) != 0 || (debug && fuse_opt_add_arg(&args, "-d") != 0))
		goto out;
	se = fuse_session_new(&args, &nfuse_ops, sizeof(nfuse_ops), fs);
	if (se == NULL)
		goto out;
	if (fuse_set_signal_handlers(se) != 0)
		goto out;
	if (fuse_session_mount(se, fs->mountpoint) != 0) {
		fuse_remove_signal_handlers(se);
		goto out;
	}
	if (fuse_daemonize(foreground || debug) != 0) {
		fuse_session_unmount(se);
		fuse_remove_signal_handlers(se);
		goto out;
	}
	loop = fuse_loop_cfg_create();
	if (loop == NULL) {
		fuse_session_unmount(se);
		fuse_remove_signal_handlers(se);
		goto out;
	}
	fuse_loop_cfg_set_max_threads(loop, NFUSE_SLOTS);
	fuse_loop_cfg_set_idle_threads(loop, NFUSE_SLOTS);
	fuse_loop_cfg_set_clone_fd(loop, 0);
	status = fuse_session_loop_mt(se, loop) == 0 ? 0 : 1;
	fuse_loop_cfg_destroy(loop);
	fuse_session_unmount(se);
	fuse_remove_signal_handlers(se);
out:
	/* The session calls op_destroy only after an init: without one (a
	 * failed mount), ignore_case's handle is closed here. */
	if (se != NULL)
		fuse_session_destroy(se);
	op_destroy(fs);
	fuse_opt_free_args(&args);
	free(mopts);
	free(fs->mountpoint);
	free(fs->locase);
	free(fs);
	return status;
}
