#include "hal/pty.h"
#include "hal/base/error.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int hal_pty_link(const char *link_path, int *master, int *slave, char *name, size_t cap)
{
	char pty[128];
	struct termios t;
	memset(&t, 0, sizeof t);
	cfmakeraw(&t);
	if (openpty(master, slave, pty, &t, NULL) != 0)
		return kiosk_err_from_errno(errno);
	fcntl(*master, F_SETFL, O_NONBLOCK);
	fcntl(*master, F_SETFD, FD_CLOEXEC);
	fcntl(*slave, F_SETFD, FD_CLOEXEC);
	snprintf(name, cap, "%s", pty);
	unlink(link_path);
	if (symlink(pty, link_path) != 0) {
		int e = errno;
		close(*master);
		close(*slave);
		return kiosk_err_from_errno(e);
	}
	return KIOSK_OK;
}

void hal_pty_unlink(const char *link_path, const char *name, int master, int slave)
{
	char to[256];
	ssize_t n = readlink(link_path, to, sizeof to - 1);
	if (n > 0) {
		to[n] = '\0';
		if (strcmp(to, name) == 0)
			unlink(link_path);
	}
	close(master);
	close(slave);
}
