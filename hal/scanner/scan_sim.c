#include "hal/scanner/scan_sim.h"
#include "hal/pty.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

struct scan_sim {
	int master, slave;
	bool cr_only;
	char link[PATH_MAX], name[128];
};

int scan_sim_new(const char *link_path, bool cr_only, struct scan_sim **out)
{
	*out = NULL;
	struct scan_sim *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return KIOSK_ENOMEM;
	int rc = hal_pty_link(link_path, &s->master, &s->slave, s->name, sizeof s->name);
	if (rc) {
		kiosk_free(s);
		return rc;
	}
	strncpy(s->link, link_path, sizeof s->link - 1);
	s->cr_only = cr_only;
	*out = s;
	return KIOSK_OK;
}

void scan_sim_free(struct scan_sim *s)
{
	if (!s)
		return;
	hal_pty_unlink(s->link, s->name, s->master, s->slave);
	kiosk_free(s);
}

int scan_sim_fd(const struct scan_sim *s)
{
	return s->master;
}

void scan_sim_step(struct scan_sim *s)
{
	(void)s;
}

/* All of b to the pty's master (non-blocking), waiting briefly while the reader catches up. */
static int put(struct scan_sim *s, const char *b, size_t n)
{
	int spins = 0;
	while (n) {
		ssize_t w = write(s->master, b, n);
		if (w > 0) {
			b += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return KIOSK_EIO;
		struct pollfd p = {s->master, POLLOUT, 0};
		if (++spins > 50 || poll(&p, 1, 20) < 0)
			return KIOSK_EIO;
	}
	return KIOSK_OK;
}

int scan_sim_command(struct scan_sim *s, const char *line)
{
	if (!line[0])
		return KIOSK_EINVAL;
	int rc = put(s, line, strlen(line));
	return rc ? rc : put(s, s->cr_only ? "\r" : "\r\n", s->cr_only ? 1 : 2);
}
