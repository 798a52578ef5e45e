#include "hal/serial.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

struct hal_serial {
	int fd;
	int baud;
	char path[256];
};

static speed_t speed_of(int baud)
{
	switch (baud) {
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	default: return 0;
	}
}

static int open_fd(struct hal_serial *s)
{
	int fd = open(s->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		KLOG_ERROR("serial", "event=open_failed port=%s errno=%d", s->path, e);
		return e == EBUSY ? KIOSK_EBUSY : kiosk_err_from_errno(e);
	}
	/* Exclusive: a second program writing to the lock bus would garble both. TIOCEXCL
	 * does not stop root, so an advisory lock as well (the kiosk and kioskctl's bench
	 * tool both take it). */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		KLOG_ERROR("serial", "event=port_busy port=%s", s->path);
		return KIOSK_EBUSY;
	}
	if (ioctl(fd, TIOCEXCL) != 0)
		KLOG_WARN("serial", "event=no_exclusive port=%s errno=%d", s->path, errno);
	struct termios t;
	if (tcgetattr(fd, &t) != 0) {
		int e = errno;
		close(fd);
		KLOG_ERROR("serial", "event=not_a_tty port=%s errno=%d", s->path, e);
		return KIOSK_EIO;
	}
	cfmakeraw(&t);
	t.c_cflag &= (tcflag_t) ~(CSTOPB | PARENB | CRTSCTS | CSIZE);
	t.c_cflag |= CS8 | CLOCAL | CREAD;
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	speed_t sp = speed_of(s->baud);
	if (cfsetispeed(&t, sp) != 0 || cfsetospeed(&t, sp) != 0 ||
	    tcsetattr(fd, TCSANOW, &t) != 0) {
		int e = errno;
		close(fd);
		KLOG_ERROR("serial", "event=setup_failed port=%s baud=%d errno=%d", s->path, s->baud,
			   e);
		return KIOSK_EIO;
	}
	s->fd = fd;
	return KIOSK_OK;
}

int hal_serial_open(const char *path, int baud, struct hal_serial **out)
{
	*out = NULL;
	if (!path || !*path || strlen(path) >= 256 || !speed_of(baud))
		return KIOSK_EINVAL;
	struct hal_serial *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return KIOSK_ENOMEM;
	snprintf(s->path, sizeof s->path, "%s", path);
	s->baud = baud;
	s->fd = -1;
	int rc = open_fd(s);
	if (rc) {
		kiosk_free(s);
		return rc;
	}
	KLOG_INFO("serial", "event=open port=%s baud=%d", path, baud);
	*out = s;
	return KIOSK_OK;
}

void hal_serial_close(struct hal_serial *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	kiosk_free(s);
}

int hal_serial_stick_parity(struct hal_serial *s, bool mark)
{
	struct termios t;
	if (s->fd < 0 || tcgetattr(s->fd, &t) != 0)
		return KIOSK_EIO;
	t.c_cflag |= PARENB | CMSPAR;
	if (mark)
		t.c_cflag |= PARODD; /* with CMSPAR: the parity bit is always 1 */
	else
		t.c_cflag &= (tcflag_t)~PARODD;
	t.c_iflag |= INPCK | PARMRK;
	t.c_iflag &= (tcflag_t) ~(IGNPAR | ISTRIP);
	return tcsetattr(s->fd, TCSADRAIN, &t) == 0 ? KIOSK_OK : KIOSK_EIO;
}

int hal_serial_break(struct hal_serial *s)
{
	return s->fd >= 0 && tcsendbreak(s->fd, 0) == 0 ? KIOSK_OK : KIOSK_EIO;
}

int hal_serial_reopen(struct hal_serial *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	/* Debug only: a silent board reopens every few requests, and its callers log the
	 * silence once, when it starts. */
	KLOG_DEBUG("serial", "event=reopen port=%s", s->path);
	return open_fd(s);
}

int hal_serial_flush(struct hal_serial *s)
{
	if (s->fd < 0)
		return KIOSK_EIO;
	tcflush(s->fd, TCIOFLUSH);
	/* A pty does not discard on tcflush from the slave side: drain by reading too. */
	uint8_t junk[256];
	while (read(s->fd, junk, sizeof junk) > 0)
		;
	return KIOSK_OK;
}

int hal_serial_write(struct hal_serial *s, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	int64_t deadline = kiosk_mono_ms() + 1000;
	if (s->fd < 0)
		return KIOSK_EIO;
	while (n) {
		ssize_t w = write(s->fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			KLOG_ERROR("serial", "event=write_failed port=%s errno=%d", s->path, errno);
			return KIOSK_EIO;
		}
		int left = (int)(deadline - kiosk_mono_ms());
		if (left <= 0)
			return KIOSK_ETIMEDOUT;
		struct pollfd pfd = {s->fd, POLLOUT, 0};
		poll(&pfd, 1, left);
	}
	return KIOSK_OK;
}

int hal_serial_read(struct hal_serial *s, uint8_t *buf, size_t cap, int timeout_ms)
{
	if (s->fd < 0 || !cap)
		return KIOSK_EIO;
	int64_t deadline = kiosk_mono_ms() + timeout_ms;
	bool hup = false;
	for (;;) {
		ssize_t r = read(s->fd, buf, cap);
		if (r > 0)
			return (int)r;
		if (r == 0 && hup) { /* end of file after a hangup: a pty whose other side closed */
			KLOG_WARN("serial", "event=hung_up port=%s", s->path);
			return KIOSK_EIO;
		}
		if (r < 0 && errno != EAGAIN && errno != EINTR) {
			/* EIO on a pty whose other side closed; a USB adapter unplugged. */
			KLOG_WARN("serial", "event=read_failed port=%s errno=%d", s->path, errno);
			return KIOSK_EIO;
		}
		int left = (int)(deadline - kiosk_mono_ms());
		if (left <= 0)
			return KIOSK_ETIMEDOUT;
		struct pollfd pfd = {s->fd, POLLIN, 0};
		if (poll(&pfd, 1, left) == 0)
			return KIOSK_ETIMEDOUT;
		if (pfd.revents & (POLLHUP | POLLERR) && !(pfd.revents & POLLIN))
			return KIOSK_EIO;
		hup = pfd.revents & (POLLHUP | POLLERR);
	}
}

const char *hal_serial_path(const struct hal_serial *s)
{
	return s->path;
}

double hal_serial_wire_us(const struct hal_serial *s, size_t n)
{
	return (double)n * 10.0 * 1e6 / s->baud;
}
