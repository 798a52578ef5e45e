#include "kiosk/control.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CLIENTS 16
/* Nobody can lock root or the kiosk's own user out: any other uid holds at most PER_UID
 * connections, and all of them together leave RESERVED free for those two. */
#define PER_UID 4
#define RESERVED 2
#define READ_DEADLINE_MS 2000  /* to send the request line */
#define ANSWER_DEADLINE_MS 30000 /* a deferred answer (doors) that never came */
#define SWEEP_MS 250

enum cl_state { CL_FREE, CL_READING, CL_WAITING, CL_WRITING };

struct client {
	enum cl_state st;
	int fd, id;
	int64_t deadline;
	struct kiosk_control_peer peer;
	char req[KIOSK_CONTROL_REQ_MAX];
	size_t len;
	char *reply; /* KIOSK_CONTROL_REPLY_MAX bytes while WRITING */
	size_t rlen, sent;
};

struct kiosk_control {
	struct kiosk_loop *loop;
	int fd, timer;
	char path[108];
	kiosk_control_fn fn;
	void *arg;
	struct client cl[MAX_CLIENTS];
	int next_id;
	uid_t owner; /* the kiosk's user: with root, slots reserved */
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

static void drop(struct kiosk_control *c, struct client *k)
{
	kiosk_loop_del_fd(c->loop, k->fd);
	close(k->fd);
	kiosk_free(k->reply);
	memset(k, 0, sizeof *k);
}

static void on_client(struct kiosk_loop *loop, int fd, short revents, void *arg);

/* Writes what the socket takes; the rest when it is writable again. */
static void flush_reply(struct kiosk_control *c, struct client *k)
{
	while (k->sent < k->rlen) {
		ssize_t w = send(k->fd, k->reply + k->sent, k->rlen - k->sent, MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			kiosk_loop_add_fd(c->loop, k->fd, POLLOUT, on_client, c);
			return;
		}
		if (w <= 0) {
			drop(c, k); /* the client went away: its own problem */
			return;
		}
		k->sent += (size_t)w;
	}
	drop(c, k);
}

static void start_reply(struct kiosk_control *c, struct client *k, const char *text, size_t n)
{
	k->reply = kiosk_malloc(KIOSK_CONTROL_REPLY_MAX);
	if (!k->reply) {
		drop(c, k);
		return;
	}
	if (n >= KIOSK_CONTROL_REPLY_MAX)
		n = KIOSK_CONTROL_REPLY_MAX - 1;
	memcpy(k->reply, text, n);
	k->rlen = n;
	k->sent = 0;
	k->st = CL_WRITING;
	flush_reply(c, k);
}

static void answer(struct kiosk_control *c, struct client *k)
{
	char *out = kiosk_malloc(KIOSK_CONTROL_REPLY_MAX);
	if (!out) {
		drop(c, k);
		return;
	}
	size_t n = c->fn(c->arg, &k->peer, k->req, out, KIOSK_CONTROL_REPLY_MAX);
	if (n == 0) {
		/* Answered later (kiosk_control_reply): stop reading, keep the connection. */
		k->st = CL_WAITING;
		k->deadline = kiosk_mono_ms() + ANSWER_DEADLINE_MS;
		kiosk_loop_add_fd(c->loop, k->fd, 0, on_client, c);
	} else {
		start_reply(c, k, out, n);
	}
	kiosk_free(out);
}

static void on_client(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)loop;
	struct kiosk_control *c = arg;
	struct client *k = NULL;
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (c->cl[i].st != CL_FREE && c->cl[i].fd == fd)
			k = &c->cl[i];
	if (!k)
		return;
	if (k->st == CL_WRITING) {
		flush_reply(c, k);
		return;
	}
	if (k->st == CL_WAITING) {
		if (revents & (POLLHUP | POLLERR))
			drop(c, k); /* gave up waiting: the answer, when it comes, is dropped */
		return;
	}
	ssize_t r = recv(fd, k->req + k->len, sizeof k->req - 1 - k->len, MSG_DONTWAIT);
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (r <= 0 && k->len == 0) {
		drop(c, k);
		return;
	}
	if (r > 0)
		k->len += (size_t)r;
	k->req[k->len] = '\0';
	char *nl = memchr(k->req, '\n', k->len);
	if (nl) {
		*nl = '\0';
	} else if (k->len == sizeof k->req - 1) {
		static const char big[] = "{\"error\":\"EINVAL\",\"message\":\"request line too long\"}\n";
		KLOG_WARN("control", "event=request_too_long uid=%u", (unsigned)k->peer.uid);
		start_reply(c, k, big, sizeof big - 1);
		return;
	} else if (r > 0) {
		return; /* more to come */
	}
	/* A line, or the client closed its side after a line without "\n". */
	answer(c, k);
}

static bool is_admin(const struct kiosk_control *c, uid_t uid)
{
	return uid == 0 || uid == c->owner;
}

void kiosk_control_set_owner(struct kiosk_control *c, uid_t uid)
{
	c->owner = uid;
}

/* A free slot this uid may take, or NULL (busy for it). */
static struct client *slot_for(struct kiosk_control *c, uid_t uid)
{
	struct client *free_slot = NULL;
	int mine = 0, others = 0;
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *k = &c->cl[i];
		if (k->st == CL_FREE) {
			free_slot = free_slot ? free_slot : k;
			continue;
		}
		mine += k->peer.uid == uid;
		others += !is_admin(c, k->peer.uid);
	}
	if (!is_admin(c, uid) && (mine >= PER_UID || others >= MAX_CLIENTS - RESERVED))
		return NULL;
	return free_slot;
}

static void on_accept(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)loop;
	(void)revents;
	struct kiosk_control *c = arg;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (cfd < 0)
		return;
	struct ucred cred;
	socklen_t cl = sizeof cred;
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) != 0) {
		close(cfd);
		return;
	}
	struct client *k = slot_for(c, cred.uid);
	if (!k) { /* said, not left to time out: the client's "timed out" would be untrue */
		static const char busy[] =
			"{\"error\":\"EBUSY\",\"message\":\"the kiosk is serving as many control "
			"connections as it takes; try again in a few seconds\"}\n";
		KLOG_WARN("control", "event=too_many_clients uid=%u max=%d per_uid=%d",
			  (unsigned)cred.uid, MAX_CLIENTS, PER_UID);
		ssize_t w = send(cfd, busy, sizeof busy - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		(void)w;
		close(cfd);
		return;
	}
	if (++c->next_id <= 0)
		c->next_id = 1;
	*k = (struct client){.st = CL_READING, .fd = cfd, .id = c->next_id,
			     .deadline = kiosk_mono_ms() + READ_DEADLINE_MS,
			     .peer = {c->next_id, cred.uid, cred.pid}};
	if (kiosk_loop_add_fd(c->loop, cfd, POLLIN, on_client, c) != KIOSK_OK) {
		close(cfd);
		memset(k, 0, sizeof *k);
	}
}

/* Clients too slow to ask, and answers that never came. */
static int64_t on_sweep(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	(void)id;
	struct kiosk_control *c = arg;
	int64_t now = kiosk_mono_ms();
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *k = &c->cl[i];
		if ((k->st == CL_READING || k->st == CL_WAITING) && now >= k->deadline) {
			KLOG_WARN("control", "event=client_dropped uid=%u reason=%s",
				  (unsigned)k->peer.uid,
				  k->st == CL_READING ? "request_too_slow" : "no_answer");
			drop(c, k);
		}
	}
	return SWEEP_MS;
}

int kiosk_control_reply(struct kiosk_control *c, int client, const char *text)
{
	for (int i = 0; c && i < MAX_CLIENTS; i++) {
		struct client *k = &c->cl[i];
		if (k->st == CL_WAITING && k->id == client) {
			start_reply(c, k, text, strlen(text));
			return KIOSK_OK;
		}
	}
	return KIOSK_ENOENT;
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
	c->owner = geteuid();
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
	c->timer = kiosk_loop_add_timer(loop, SWEEP_MS, on_sweep, c);
	if (c->timer < 0) {
		rc = c->timer;
		goto out_unwatch;
	}
	KLOG_INFO("control", "event=listening path=%s", path);
	*out = c;
	return KIOSK_OK;
out_unwatch:
	kiosk_loop_del_fd(loop, c->fd);
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
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (c->cl[i].st != CL_FREE)
			drop(c, &c->cl[i]);
	kiosk_loop_del_timer(c->loop, c->timer);
	kiosk_loop_del_fd(c->loop, c->fd);
	close(c->fd);
	unlink(c->path);
	kiosk_free(c);
}

int kiosk_control_parse(const char *line, struct kiosk_control_req *out)
{
	char w[3][24] = {"", "", ""}, extra[2] = "";
	memset(out, 0, sizeof *out);
	if (!line)
		return KIOSK_EINVAL;
	int n = sscanf(line, "%23s %23s %23s %1s", w[0], w[1], w[2], extra);
	if (n == 1 && strcmp(w[0], "status") == 0) {
		out->verb = KIOSK_CTL_STATUS;
		return KIOSK_OK;
	}
	if (n == 2 && strcmp(w[0], "sync") == 0 &&
	    (strcmp(w[1], "status") == 0 || strcmp(w[1], "now") == 0)) {
		out->verb = w[1][0] == 's' ? KIOSK_CTL_SYNC_STATUS : KIOSK_CTL_SYNC_NOW;
		return KIOSK_OK;
	}
	if (n < 1 || strcmp(w[0], "locker") != 0)
		return KIOSK_ENOENT;
	if (n == 2 && strcmp(w[1], "list") == 0) {
		out->verb = KIOSK_CTL_LOCKER_LIST;
		return KIOSK_OK;
	}
	static const struct {
		const char *word;
		enum kiosk_control_verb verb;
	} verbs[] = {{"open", KIOSK_CTL_LOCKER_OPEN},
		     {"disable", KIOSK_CTL_LOCKER_DISABLE},
		     {"enable", KIOSK_CTL_LOCKER_ENABLE}};
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		if (n != 3 || strcmp(w[1], verbs[i].word) != 0)
			continue;
		size_t len = strlen(w[2]);
		if (len >= sizeof out->compartment)
			return KIOSK_EINVAL;
		for (size_t k = 0; k < len; k++)
			if ((unsigned char)w[2][k] < 0x21 || (unsigned char)w[2][k] > 0x7E)
				return KIOSK_EINVAL;
		out->verb = verbs[i].verb;
		memcpy(out->compartment, w[2], len + 1);
		return KIOSK_OK;
	}
	return KIOSK_EINVAL;
}

/* Client side: reads one line with a deadline. */
static ssize_t read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t n = 0;
	int64_t until = kiosk_mono_ms() + timeout_ms;
	while (n < cap - 1) {
		int left = (int)(until - kiosk_mono_ms());
		struct pollfd p = {fd, POLLIN, 0};
		if (left <= 0 || poll(&p, 1, left) <= 0)
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

int kiosk_control_call(const char *path, const char *request, char *out, size_t cap,
		       int timeout_ms)
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
			: errno == EACCES			      ? KIOSK_EDENIED
								      : kiosk_err_from_errno(errno);
		goto out_close;
	}
	size_t len = strlen(request);
	/* MSG_NOSIGNAL: a kiosk that refused a long line and closed is an answer to read,
	 * not a SIGPIPE. */
	ssize_t w = send(fd, request, len, MSG_NOSIGNAL);
	if (w == (ssize_t)len)
		w = send(fd, "\n", 1, MSG_NOSIGNAL);
	if (w < 0 && errno != EPIPE && errno != ECONNRESET) {
		rc = KIOSK_EIO;
		goto out_close;
	}
	rc = read_line(fd, out, cap, timeout_ms) > 0 ? KIOSK_OK : KIOSK_ETIMEDOUT;
out_close:
	close(fd);
	return rc;
}
