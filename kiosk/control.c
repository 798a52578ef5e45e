#include "kiosk/control.h"
#include "hal/alloc.h"
#include "hal/error.h"
#include "hal/log.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define REQ_MAX 512
#define REPLY_MAX 16384

struct kiosk_control {
	struct kiosk_loop *loop;
	int fd;
	char path[108];
	kiosk_control_fn fn;
	void *arg;
};

static int make_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (!path || !*path || strlen(path) >= sizeof sa->sun_path)
		return KIOSK_EINVAL;
	memcpy(sa->sun_path, path, strlen(path));
	return KIOSK_OK;
}

/* Reads one line with a short deadline: a client that connects and says nothing must not
 * hold the core loop. */
static ssize_t read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t n = 0;
	while (n < cap - 1) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\n', n))
			break;
	}
	buf[n] = '\0';
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return (ssize_t)n;
}

static void on_accept(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)loop;
	(void)revents;
	struct kiosk_control *c = arg;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	char req[REQ_MAX], *reply = kiosk_malloc(REPLY_MAX);
	if (reply && read_line(cfd, req, sizeof req, 200) > 0) {
		size_t n = c->fn(c->arg, req, reply, REPLY_MAX);
		ssize_t w = write(cfd, reply, n);
		(void)w; /* a client that went away is its own problem */
	}
	kiosk_free(reply);
	close(cfd);
}

int kiosk_control_open(struct kiosk_loop *loop, const char *path, kiosk_control_fn fn,
		       void *arg, struct kiosk_control **out)
{
	struct sockaddr_un sa;
	*out = NULL;
	int rc = make_addr(path, &sa);
	if (rc)
		return rc;
	struct kiosk_control *c = kiosk_calloc(1, sizeof *c);
	if (!c)
		return KIOSK_ENOMEM;
	c->loop = loop;
	c->fn = fn;
	c->arg = arg;
	snprintf(c->path, sizeof c->path, "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0) {
		rc = kiosk_err_from_errno(errno);
		goto out_free;
	}
	unlink(path); /* a socket file left by a previous run */
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0 || chmod(path, 0660) != 0 ||
	    listen(c->fd, 8) != 0) {
		rc = kiosk_err_from_errno(errno);
		KLOG_ERROR("control", "event=bind_failed path=%s errno=%d", path, errno);
		goto out_close;
	}
	rc = kiosk_loop_add_fd(loop, c->fd, POLLIN, on_accept, c);
	if (rc)
		goto out_unlink;
	KLOG_INFO("control", "event=listening path=%s", path);
	*out = c;
	return KIOSK_OK;
out_unlink:
	unlink(path);
out_close:
	close(c->fd);
out_free:
	kiosk_free(c);
	return rc;
}

void kiosk_control_close(struct kiosk_control *c)
{
	if (!c)
		return;
	kiosk_loop_del_fd(c->loop, c->fd);
	close(c->fd);
	unlink(c->path);
	kiosk_free(c);
}

int kiosk_control_call(const char *path, const char *request, char *out, size_t cap)
{
	struct sockaddr_un sa;
	int rc = make_addr(path, &sa);
	if (rc)
		return rc;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return kiosk_err_from_errno(errno);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		rc = errno == ENOENT || errno == ECONNREFUSED ? KIOSK_ENOENT
							       : kiosk_err_from_errno(errno);
		goto out_close;
	}
	size_t len = strlen(request);
	if (write(fd, request, len) != (ssize_t)len || write(fd, "\n", 1) != 1) {
		rc = KIOSK_EIO;
		goto out_close;
	}
	rc = read_line(fd, out, cap, 3000) > 0 ? KIOSK_OK : KIOSK_ETIMEDOUT;
out_close:
	close(fd);
	return rc;
}
