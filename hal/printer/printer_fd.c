/* The transports that are a file descriptor: the kernel's printer device (lp), a network
 * printer's raw port (tcp) and a file (file). Writes are non-blocking under poll, so a
 * stalled printer costs the timeout and no more. */
#include "hal/printer/printer.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/lp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

enum fd_kind { FD_LP, FD_TCP, FD_FILE };

struct fd_printer {
	struct printer base;
	int fd;
	enum fd_kind kind;
};

static int errno_err(int e)
{
	return e == ENOENT || e == ENODEV || e == ENXIO     ? KIOSK_ENOENT
	       : e == EACCES || e == EPERM || e == EROFS    ? KIOSK_EPERM
	       : e == ETIMEDOUT || e == EAGAIN              ? KIOSK_ETIMEDOUT
	       : e == ENOSPC || e == EDQUOT                 ? KIOSK_EDISKFULL
								    : KIOSK_EIO;
}

static int wrap(int fd, enum fd_kind kind, struct printer **out)
{
	struct fd_printer *p = kiosk_calloc(1, sizeof *p);
	if (!p) {
		close(fd);
		return KIOSK_ENOMEM;
	}
	p->fd = fd;
	p->kind = kind;
	*out = &p->base;
	return KIOSK_OK;
}

static int lp_open(const char *rest, int timeout_ms, struct printer **out, char *why,
		   size_t wlen)
{
	(void)timeout_ms;
	int fd = open(rest, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == EACCES)
		fd = open(rest, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		snprintf(why, wlen, "%s: %s", rest, strerror(e));
		return errno_err(e);
	}
	return wrap(fd, FD_LP, out);
}

static int file_open(const char *rest, int timeout_ms, struct printer **out, char *why,
		     size_t wlen)
{
	(void)timeout_ms;
	int fd = open(rest, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		int e = errno;
		snprintf(why, wlen, "%s: %s", rest, strerror(e));
		return errno_err(e);
	}
	return wrap(fd, FD_FILE, out);
}

/* Waits for fd to be ready for events until deadline (ms, monotonic). */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - kiosk_mono_ms();
		if (left <= 0)
			return KIOSK_ETIMEDOUT;
		struct pollfd pf = {fd, events, 0};
		int r = poll(&pf, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return KIOSK_EIO;
		if (r == 0)
			return KIOSK_ETIMEDOUT;
		if (pf.revents & (POLLERR | POLLNVAL))
			return KIOSK_EIO;
		if (pf.revents & (events | POLLHUP))
			return KIOSK_OK;
	}
}

static int tcp_open(const char *rest, int timeout_ms, struct printer **out, char *why,
		    size_t wlen)
{
	char host[256], port[8];
	const char *colon = strrchr(rest, ':');
	snprintf(host, sizeof host, "%.*s", (int)(colon - rest), rest);
	snprintf(port, sizeof port, "%s", colon + 1);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') { /* [::1] */
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	int g = getaddrinfo(host, port, &hints, &ai);
	if (g) {
		snprintf(why, wlen, "%s: %s", rest, gai_strerror(g));
		return KIOSK_ENOENT;
	}
	int64_t deadline = kiosk_mono_ms() + timeout_ms;
	int rc = KIOSK_EIO, fd = -1;
	for (struct addrinfo *a = ai; a && rc; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		int r = connect(fd, a->ai_addr, a->ai_addrlen);
		int e = r == 0 ? 0 : errno;
		if (e == EINPROGRESS) {
			rc = wait_fd(fd, POLLOUT, deadline);
			socklen_t el = sizeof e;
			if (rc == KIOSK_OK && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e)
				rc = errno_err(e);
		} else {
			rc = e ? errno_err(e) : KIOSK_OK;
		}
		if (rc) {
			snprintf(why, wlen, "%s: %s", rest,
				 rc == KIOSK_ETIMEDOUT ? "no answer" : strerror(e ? e : EIO));
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (rc)
		return rc;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return wrap(fd, FD_TCP, out);
}

static int fd_write(struct printer *pp, const uint8_t *b, size_t n, int timeout_ms)
{
	struct fd_printer *p = (struct fd_printer *)pp;
	int64_t deadline = kiosk_mono_ms() + timeout_ms;
	while (n) {
		ssize_t w = p->kind == FD_TCP ? send(p->fd, b, n, MSG_NOSIGNAL) : write(p->fd, b, n);
		if (w > 0) {
			b += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN) /* a full disk (a file printer), else gone */
			return errno == ENOSPC || errno == EDQUOT ? KIOSK_EDISKFULL : KIOSK_EIO;
		int rc = wait_fd(p->fd, POLLOUT, deadline);
		if (rc)
			return rc;
	}
	return KIOSK_OK;
}

/* DLE EOT 1 and 4 over the network: two bytes back, each with its fixed bits. Bytes left
 * over from an earlier question are read away first. */
static int tcp_status(struct fd_printer *p, enum printer_state *st, int timeout_ms)
{
	uint8_t junk[64];
	while (recv(p->fd, junk, sizeof junk, MSG_DONTWAIT) > 0)
		;
	int rc = fd_write(&p->base, (const uint8_t *)"\x10\x04\x01\x10\x04\x04", 6, timeout_ms);
	if (rc)
		return rc;
	int64_t deadline = kiosk_mono_ms() + timeout_ms;
	uint8_t got[2];
	size_t n = 0;
	while (n < 2) {
		if ((rc = wait_fd(p->fd, POLLIN, deadline)))
			return rc;
		ssize_t r = recv(p->fd, got + n, 2 - n, MSG_DONTWAIT);
		if (r == 0)
			return KIOSK_EIO; /* it closed the connection */
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			return KIOSK_EIO;
		n += r > 0 ? (size_t)r : 0;
	}
	return printer_rt_status(got[0], got[1], st);
}

static int fd_status(struct printer *pp, enum printer_state *st, int timeout_ms)
{
	struct fd_printer *p = (struct fd_printer *)pp;
	if (p->kind == FD_TCP)
		return tcp_status(p, st, timeout_ms);
	if (p->kind == FD_FILE) {
		*st = PRINTER_UNKNOWN; /* a file takes what it is given */
		return KIOSK_OK;
	}
	int s = 0;
	if (ioctl(p->fd, LPGETSTATUS, &s) < 0) {
		if (errno == ENODEV || errno == EIO)
			return KIOSK_EIO; /* unplugged */
		*st = PRINTER_UNKNOWN;
		return KIOSK_OK;
	}
	*st = printer_port_status((uint8_t)s);
	return KIOSK_OK;
}

static void fd_close(struct printer *pp)
{
	struct fd_printer *p = (struct fd_printer *)pp;
	close(p->fd);
	kiosk_free(p);
}

const struct printer_ops printer_lp_ops = {"lp", lp_open, fd_write, fd_status, fd_close};
const struct printer_ops printer_tcp_ops = {"tcp", tcp_open, fd_write, fd_status, fd_close};
const struct printer_ops printer_file_ops = {"file", file_open, fd_write, fd_status, fd_close};
