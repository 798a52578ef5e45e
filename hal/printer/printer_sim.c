#include "hal/printer/printer_sim.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SIM_CLIENTS 4

struct printer_sim {
	pthread_mutex_t mu; /* stepped on one thread, told things from another */
	int lfd, port, out;
	int client[SIM_CLIENTS];
	uint8_t tail[SIM_CLIENTS][2]; /* the last bytes of each connection: a DLE EOT cut in two */
	bool paper_out, cover_open, unplugged;
	uint64_t received;
};

int printer_sim_new(int port, const char *out_path, struct printer_sim **out, char *why,
		    size_t wlen)
{
	*out = NULL;
	struct printer_sim *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return KIOSK_ENOMEM;
	for (int i = 0; i < SIM_CLIENTS; i++)
		s->client[i] = -1;
	pthread_mutex_init(&s->mu, NULL);
	int rc = KIOSK_EIO;
	s->out = open(out_path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (s->out < 0) {
		snprintf(why, wlen, "%s: %s", out_path, strerror(errno));
		goto out_free;
	}
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof a;
	int one = 1;
	if (s->lfd < 0 || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(s->lfd, (struct sockaddr *)&a, sizeof a) || listen(s->lfd, 4) ||
	    getsockname(s->lfd, (struct sockaddr *)&a, &al)) {
		snprintf(why, wlen, "127.0.0.1:%d: %s", port, strerror(errno));
		goto out_sock;
	}
	s->port = ntohs(a.sin_port);
	*out = s;
	return KIOSK_OK;
out_sock:
	if (s->lfd >= 0)
		close(s->lfd);
	close(s->out);
out_free:
	pthread_mutex_destroy(&s->mu);
	kiosk_free(s);
	return rc;
}

static void drop_clients(struct printer_sim *s)
{
	for (int i = 0; i < SIM_CLIENTS; i++)
		if (s->client[i] >= 0) {
			close(s->client[i]);
			s->client[i] = -1;
		}
}

void printer_sim_free(struct printer_sim *s)
{
	if (!s)
		return;
	drop_clients(s);
	close(s->lfd);
	close(s->out);
	pthread_mutex_destroy(&s->mu);
	kiosk_free(s);
}

int printer_sim_port(const struct printer_sim *s)
{
	return s->port;
}

int printer_sim_fd(const struct printer_sim *s)
{
	return s->lfd;
}

uint64_t printer_sim_received(struct printer_sim *s)
{
	pthread_mutex_lock(&s->mu);
	uint64_t n = s->received;
	pthread_mutex_unlock(&s->mu);
	return n;
}

/* DLE EOT n's answer: fixed bits 1 and 4, and the state's. */
static uint8_t answer(const struct printer_sim *s, uint8_t n)
{
	uint8_t b = 0x12;
	if (n == 1 && (s->cover_open || s->paper_out))
		b |= 0x08; /* offline */
	if (n == 2 && s->cover_open)
		b |= 0x04;
	if (n == 4 && s->paper_out)
		b |= 0x6C; /* near end and end */
	return b;
}

static void serve(struct printer_sim *s, int i)
{
	uint8_t buf[4096];
	for (;;) {
		ssize_t r = recv(s->client[i], buf, sizeof buf, MSG_DONTWAIT);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
			close(s->client[i]);
			s->client[i] = -1;
			return;
		}
		if (r < 0)
			return;
		s->received += (uint64_t)r;
		/* a printer out of paper prints nothing, but still answers */
		if (!s->paper_out && !s->cover_open && write(s->out, buf, (size_t)r) != r)
			KLOG_WARN("printer-sim", "event=write_failed err=\"%s\"", strerror(errno));
		for (ssize_t k = 0; k < r; k++) {
			uint8_t p0 = s->tail[i][0], p1 = s->tail[i][1];
			if (p0 == 0x10 && p1 == 0x04 && buf[k] >= 1 && buf[k] <= 4) {
				uint8_t a = answer(s, buf[k]);
				if (send(s->client[i], &a, 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1)
					KLOG_WARN("printer-sim", "event=answer_lost");
			}
			s->tail[i][0] = p1;
			s->tail[i][1] = buf[k];
		}
	}
}

void printer_sim_step(struct printer_sim *s)
{
	pthread_mutex_lock(&s->mu);
	int fd;
	while ((fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		int i = 0;
		while (i < SIM_CLIENTS && s->client[i] >= 0)
			i++;
		if (s->unplugged || i == SIM_CLIENTS) {
			close(fd); /* switched off, or busy */
			continue;
		}
		s->client[i] = fd;
		s->tail[i][0] = s->tail[i][1] = 0;
	}
	for (int i = 0; i < SIM_CLIENTS; i++)
		if (s->client[i] >= 0)
			serve(s, i);
	pthread_mutex_unlock(&s->mu);
}

int printer_sim_command(struct printer_sim *s, const char *line)
{
	pthread_mutex_lock(&s->mu);
	int rc = KIOSK_OK;
	if (strcmp(line, "paper out") == 0)
		s->paper_out = true;
	else if (strcmp(line, "paper ok") == 0)
		s->paper_out = false;
	else if (strcmp(line, "cover open") == 0)
		s->cover_open = true;
	else if (strcmp(line, "cover closed") == 0)
		s->cover_open = false;
	else if (strcmp(line, "unplug") == 0) {
		s->unplugged = true;
		drop_clients(s);
	} else if (strcmp(line, "plug") == 0)
		s->unplugged = false;
	else
		rc = KIOSK_EINVAL;
	pthread_mutex_unlock(&s->mu);
	return rc;
}
