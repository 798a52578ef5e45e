#include "kiosk/paths.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int put(char *out, size_t n, const char *a, const char *b)
{
	int w = snprintf(out, n, "%s%s", a, b);
	return w < 0 || (size_t)w >= n ? KIOSK_ENOSPACE : KIOSK_OK;
}

/* An environment variable that names an absolute folder (the XDG spec: a relative one is
 * invalid and ignored); systemd may list several, the first is ours. */
static const char *abs_env(const char *name, char *buf, size_t n)
{
	const char *v = getenv(name);
	if (!v || v[0] != '/')
		return NULL;
	snprintf(buf, n, "%s", v);
	char *colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	return buf;
}

static const char *home(void)
{
	const char *h = getenv("HOME");
	if (h && h[0] == '/')
		return h;
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

int kiosk_paths_state_dir(char *out, size_t n)
{
	char buf[512];
	const char *d = abs_env("STATE_DIRECTORY", buf, sizeof buf);
	if (d)
		return put(out, n, d, "");
	d = abs_env("XDG_STATE_HOME", buf, sizeof buf);
	if (d)
		return put(out, n, d, "/kiosk");
	const char *h = home();
	if (h)
		return put(out, n, h, "/.local/state/kiosk");
	snprintf(buf, sizeof buf, "/tmp/kiosk-%u/state", (unsigned)getuid());
	return put(out, n, buf, "");
}

int kiosk_paths_runtime_dir(char *out, size_t n)
{
	char buf[512];
	const char *d = abs_env("RUNTIME_DIRECTORY", buf, sizeof buf);
	if (d)
		return put(out, n, d, "");
	d = abs_env("XDG_RUNTIME_DIR", buf, sizeof buf);
	if (d)
		return put(out, n, d, "/kiosk");
	snprintf(buf, sizeof buf, "/tmp/kiosk-%u", (unsigned)getuid());
	return put(out, n, buf, "");
}

int kiosk_paths_make_dir(const char *dir)
{
	char p[512];
	if (!dir || !*dir || strlen(dir) >= sizeof p)
		return KIOSK_EINVAL;
	snprintf(p, sizeof p, "%s", dir);
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) == 0) {
			/* whatever the umask: private, not less, not more */
			chmod(p, 0700);
		} else if (errno != EEXIST) {
			int e = errno;
			KLOG_ERROR("paths", "event=mkdir_failed dir=%s errno=%d", p, e);
			return kiosk_err_from_errno(e);
		}
		*s = c;
		if (!c)
			break;
	}
	struct stat sb;
	if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		KLOG_ERROR("paths", "event=not_a_dir dir=%s", p);
		return KIOSK_ENOENT;
	}
	/* A folder someone else made for us (a /tmp name taken first) is not ours to keep
	 * secrets or a socket in. */
	if (sb.st_uid != geteuid() && sb.st_uid != 0) {
		KLOG_ERROR("paths", "event=not_ours dir=%s owner=%u", p, (unsigned)sb.st_uid);
		return KIOSK_EDENIED;
	}
	return KIOSK_OK;
}

int kiosk_paths_make_parent(const char *file)
{
	char p[512];
	if (!file || strlen(file) >= sizeof p)
		return KIOSK_EINVAL;
	snprintf(p, sizeof p, "%s", file);
	char *slash = strrchr(p, '/');
	if (!slash || slash == p)
		return KIOSK_OK; /* the working folder, or / */
	*slash = '\0';
	return kiosk_paths_make_dir(p);
}

int kiosk_paths_private(const char *file, char *why, size_t wlen)
{
	char p[512];
	if (!file || strlen(file) >= sizeof p)
		return KIOSK_EINVAL;
	snprintf(p, sizeof p, "%s", file);
	char *slash = strrchr(p, '/');
	if (!slash)
		snprintf(p, sizeof p, ".");
	else if (slash == p)
		p[1] = '\0';
	else
		*slash = '\0';
	struct stat sb;
	if (stat(p, &sb) != 0)
		return kiosk_err_from_errno(errno);
	/* Others may write here, and nothing (the sticky bit) stops them renaming our files:
	 * someone could move the store aside and the kiosk would start an empty one. */
	if ((sb.st_mode & S_IWOTH) && !(sb.st_mode & S_ISVTX)) {
		snprintf(why, wlen,
			 "folder %s (for %s) can be written by any user (mode %04o): anyone could "
			 "replace or rename the store or the key; make it private (chmod 700 %s)",
			 p, file, (unsigned)(sb.st_mode & 07777), p);
		return KIOSK_EPERM;
	}
	return KIOSK_OK;
}

int kiosk_paths_lock(const char *file, int *fd, long *holder)
{
	char p[520];
	*fd = -1;
	*holder = 0;
	if (!file || snprintf(p, sizeof p, "%s.lock", file) >= (int)sizeof p)
		return KIOSK_EINVAL;
	int f = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (f < 0) {
		int e = errno;
		KLOG_ERROR("paths", "event=lock_open_failed file=%s errno=%d", p, e);
		return kiosk_err_from_errno(e);
	}
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		char buf[24] = "";
		ssize_t n = pread(f, buf, sizeof buf - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		*holder = strtol(buf, NULL, 10);
		close(f);
		if (e == EWOULDBLOCK)
			return KIOSK_EBUSY;
		KLOG_ERROR("paths", "event=lock_failed file=%s errno=%d", p, e);
		return kiosk_err_from_errno(e);
	}
	char pid[24];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(f, 0) != 0 || pwrite(f, pid, (size_t)n, 0) != n)
		KLOG_WARN("paths", "event=lock_pid_not_written file=%s errno=%d", p, errno);
	*fd = f;
	return KIOSK_OK;
}
