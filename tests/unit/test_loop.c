/* The core's event loop, command queue and thread, with real fds and a real thread. */
#include "kiosk/cmdq.h"
#include "kiosk/control.h"
#include "kiosk/core.h"
#include "kiosk/loop.h"
#include "kiosk/work.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

static int order[8], norder;

static int64_t record(struct kiosk_loop *l, int id, void *arg)
{
	(void)l;
	(void)id;
	order[norder++] = (int)(intptr_t)arg;
	return -1;
}

static void timers_fire_in_due_order(void)
{
	struct kiosk_loop *l;
	CHECK_INT(kiosk_loop_new(&l), KIOSK_OK);
	norder = 0;
	kiosk_loop_add_timer(l, 30, record, (void *)3);
	kiosk_loop_add_timer(l, 10, record, (void *)1);
	int id = kiosk_loop_add_timer(l, 20, record, (void *)2);
	kiosk_loop_add_timer(l, 25, record, (void *)9);
	CHECK(id > 0);
	CHECK_INT(kiosk_loop_del_timer(l, id + 1), KIOSK_OK); /* the "9" one */
	CHECK_INT(kiosk_loop_del_timer(l, 9999), KIOSK_ENOENT);
	int64_t until = kiosk_mono_ms() + 1000;
	while (norder < 3 && kiosk_mono_ms() < until)
		kiosk_loop_run_once(l, 100);
	CHECK_INT(norder, 3);
	CHECK_INT(order[0], 1);
	CHECK_INT(order[1], 2);
	CHECK_INT(order[2], 3);
	kiosk_loop_free(l);
}

static int reads;

static void on_read(struct kiosk_loop *l, int fd, short re, void *arg)
{
	(void)arg;
	char c;
	CHECK(re & POLLIN);
	CHECK(read(fd, &c, 1) == 1);
	reads++;
	kiosk_loop_del_fd(l, fd); /* deleting itself from its own callback is allowed */
}

static void fd_callbacks_and_limits(void)
{
	struct kiosk_loop *l;
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK_INT(kiosk_loop_new(&l), KIOSK_OK);
	CHECK_INT(kiosk_loop_add_fd(l, -1, POLLIN, on_read, NULL), KIOSK_EINVAL);
	CHECK_INT(kiosk_loop_add_fd(l, p[0], POLLIN, on_read, NULL), KIOSK_OK);
	reads = 0;
	CHECK_INT(kiosk_loop_run_once(l, 0), 0); /* nothing readable yet */
	CHECK(write(p[1], "xy", 2) == 2);
	CHECK_INT(kiosk_loop_run_once(l, 100), 1);
	CHECK_INT(reads, 1);
	CHECK_INT(kiosk_loop_run_once(l, 0), 0); /* removed: the second byte is not read */
	CHECK_INT(kiosk_loop_del_fd(l, p[0]), KIOSK_ENOENT);
	for (int i = 0; i < KIOSK_LOOP_MAX_FDS; i++)
		CHECK_INT(kiosk_loop_add_fd(l, 100 + i, POLLIN, on_read, NULL), KIOSK_OK);
	CHECK_INT(kiosk_loop_add_fd(l, 999, POLLIN, on_read, NULL), KIOSK_ENOSPACE);
	kiosk_loop_free(l);
	close(p[0]);
	close(p[1]);
}

static void queue_is_bounded_and_fifo(void)
{
	struct kiosk_cmdq *q;
	CHECK_INT(kiosk_cmdq_new(&q), KIOSK_OK);
	struct pollfd pfd = {kiosk_cmdq_fd(q), POLLIN, 0};
	CHECK_INT(poll(&pfd, 1, 0), 0);
	for (int i = 0; i < KIOSK_CMDQ_CAP; i++) {
		struct kiosk_cmd c = {.type = KIOSK_CMD_CLOCK_SKEW, .u.skew.ms = i};
		CHECK_INT(kiosk_cmdq_push(q, &c), KIOSK_OK);
	}
	struct kiosk_cmd extra = {.type = KIOSK_CMD_QUIT}, got;
	CHECK_INT(kiosk_cmdq_push(q, &extra), KIOSK_EBUSY);
	CHECK_INT(poll(&pfd, 1, 0), 1);
	for (int i = 0; i < KIOSK_CMDQ_CAP; i++) {
		CHECK_INT(kiosk_cmdq_pop(q, &got), 1);
		CHECK_INT(got.u.skew.ms, i);
	}
	CHECK_INT(kiosk_cmdq_pop(q, &got), 0);
	CHECK_INT(poll(&pfd, 1, 0), 0); /* wake-up cleared once empty */
	kiosk_cmdq_free(q);
}

static atomic_int snapshots, stopped;

static void count_notes(void *arg, enum kiosk_note n)
{
	(void)arg;
	if (n == KIOSK_NOTE_SNAPSHOT)
		atomic_fetch_add(&snapshots, 1);
	if (n == KIOSK_NOTE_STOPPED)
		atomic_fetch_add(&stopped, 1);
}

static struct kiosk_result wait_result(struct kiosk_core *core, uint32_t req)
{
	struct kiosk_result r = {.rc = -999};
	int64_t until = kiosk_mono_ms() + 3000;
	while (!kiosk_core_result(core, req, &r) && kiosk_mono_ms() < until)
		usleep(1000);
	return r;
}

static struct kiosk_result ask(struct kiosk_core *core, const struct kiosk_cmd *cmd)
{
	uint32_t req = 0;
	CHECK_INT(kiosk_core_submit(core, cmd, &req), KIOSK_OK);
	CHECK(req != 0);
	return wait_result(core, req);
}

static void core_thread_answers_commands(void)
{
	struct kiosk_config cfg;
	char dir[] = "/tmp/kiosk-core-XXXXXX", why[256];
	CHECK(mkdtemp(dir) != NULL);
	kiosk_config_defaults(&cfg);
	snprintf(cfg.lock.driver, sizeof cfg.lock.driver, "kerong-cu16");
	snprintf(cfg.vend.driver, sizeof cfg.vend.driver, "fa-fb");
	snprintf(cfg.store_path, sizeof cfg.store_path, "%s/kiosk.db", dir);
	snprintf(cfg.device_key_file, sizeof cfg.device_key_file, "%s/device.key", dir);
	snprintf(cfg.control_socket, sizeof cfg.control_socket, "%s/control.sock", dir);
	struct kiosk_core_opts o = {.cfg = &cfg, .notify = count_notes};
	struct kiosk_core *core;

	/* A store that cannot be opened is named in the reason. */
	struct kiosk_config bad = cfg;
	snprintf(bad.store_path, sizeof bad.store_path, "%s", dir); /* a folder, not a file */
	struct kiosk_core_opts ob = {.cfg = &bad};
	CHECK_INT(kiosk_core_start(&ob, &core, why, sizeof why), KIOSK_EINVAL);
	CHECK(core == NULL);
	CHECK_HAS(why, "store ");
	CHECK_HAS(why, dir);
	/* A folder that cannot be made is named too. */
	snprintf(bad.store_path, sizeof bad.store_path, "/proc/no/such/kiosk.db");
	CHECK(kiosk_core_start(&ob, &core, why, sizeof why) != KIOSK_OK);
	CHECK_HAS(why, "folder for /proc/no/such/kiosk.db");

	CHECK_INT(kiosk_core_start(&o, &core, why, sizeof why), KIOSK_OK);
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.version, 0);
	CHECK_INT(kiosk_core_send(core, KIOSK_CMD_HELLO), KIOSK_OK);
	int64_t until = kiosk_mono_ms() + 2000;
	while (atomic_load(&snapshots) == 0 && kiosk_mono_ms() < until)
		usleep(1000);
	/* HELLO publishes; so may the (empty) neighbourhood, built on the worker after start,
	 * that the first snapshot said was being prepared: one notice per snapshot */
	kiosk_core_snapshot(core, &s);
	CHECK(s.version >= 1 && s.version <= 2);
	CHECK(atomic_load(&snapshots) >= 1 && atomic_load(&snapshots) <= 2);
	CHECK(!s.simulate);
	/* A configured driver that this build does not have is reported, not faked; a lock
	 * driver with no compartments configured is no bank at all. */
	CHECK_INT(s.dev[KIOSK_DEV_VEND], KIOSK_DEVSTATE_NOT_BUILT);
	CHECK_INT(s.dev[KIOSK_DEV_LOCK], KIOSK_DEVSTATE_ABSENT);
	CHECK_INT(s.dev[KIOSK_DEV_MDB], KIOSK_DEVSTATE_ABSENT);
	/* Help: the first press records the event, a second within 2 min is the same call. */
	struct kiosk_cmd help = {.type = KIOSK_CMD_HELP, .u.help = {.lang = "zh", .elderly = true}};
	struct kiosk_result r = ask(core, &help);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK(!r.u.help.already);
	r = ask(core, &help);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK(r.u.help.already);
	struct kiosk_cmd count = {.type = KIOSK_CMD_COUNT_EVENTS, .u.name.text = "help.requested"};
	r = ask(core, &count);
	CHECK_INT(r.u.count.n, 1);
	/* Only a core started for scripts lets its clock be moved. */
	struct kiosk_cmd skew = {.type = KIOSK_CMD_CLOCK_SKEW, .u.skew.ms = 180000};
	CHECK_INT(ask(core, &skew).rc, KIOSK_EDENIED);
	struct kiosk_cmd fb = {.type = KIOSK_CMD_FEEDBACK,
			       .u.feedback = {.context = "help", .stars = 9}};
	CHECK_INT(ask(core, &fb).rc, KIOSK_EINVAL); /* 9 stars */
	struct kiosk_cmd login = {.type = KIOSK_CMD_LOGIN_OPERATOR,
				  .u.login = {.id = "nobody", .pin = "1234"}};
	CHECK_INT(ask(core, &login).rc, KIOSK_EDENIED);
	/* Strings from another thread are cut at their last byte, never read past it. */
	struct kiosk_cmd svc = {.type = KIOSK_CMD_SERVICE_REQ};
	memset(svc.u.service.category, 'c', sizeof svc.u.service.category);
	memset(svc.u.service.text, 'x', sizeof svc.u.service.text);
	CHECK_INT(ask(core, &svc).rc, KIOSK_OK);
	struct kiosk_cmd unknown = {.type = KIOSK_CMD_TYPE_COUNT};
	CHECK_INT(ask(core, &unknown).rc, KIOSK_EINVAL);

	/* The control socket answers while the core runs. */
	char reply[1024];
	CHECK_INT(kiosk_control_call(cfg.control_socket, "status", reply, sizeof reply, 5000), KIOSK_OK);
	CHECK_HAS(reply, "\"store\":\"ok\"");
	CHECK_HAS(reply, "\"vend\":\"not_built\"");
	CHECK_HAS(reply, "\"lock\":\"absent\"");
	CHECK_INT(kiosk_control_call(cfg.control_socket, "reboot now", reply, sizeof reply, 5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "unknown_command");
	/* No platform configured: the link is "none", and "sync now" says why it cannot. */
	CHECK_INT(kiosk_control_call(cfg.control_socket, "sync status", reply, sizeof reply, 5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "\"link\":\"none\"");
	CHECK_HAS(reply, "\"outbox_depth\":2");
	CHECK_INT(kiosk_control_call(cfg.control_socket, "sync now", reply, sizeof reply, 5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "no platform configured");
	struct kiosk_cmd now = {.type = KIOSK_CMD_SYNC_NOW, .u.all.operator_id = "nobody"};
	CHECK_INT(ask(core, &now).rc, KIOSK_EDENIED); /* not the logged-in operator */
	kiosk_core_stop(core);
	CHECK_INT(atomic_load(&stopped), 1);
	/* The socket file goes with the core; the key was made 0600. */
	CHECK(access(cfg.control_socket, F_OK) != 0);
	struct stat sb;
	CHECK(stat(cfg.device_key_file, &sb) == 0 && (sb.st_mode & 0777) == 0600 && sb.st_size == 32);
	CHECK_INT(kiosk_control_call(cfg.control_socket, "status", reply, sizeof reply, 5000),
		  KIOSK_ENOENT);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

/* Slow work: while a job holds the worker (here: until the test lets it go), the loop
 * keeps running its timers; the job's done runs on the loop's thread, in order; a full
 * queue says KIOSK_EBUSY; freeing cancels what never completed. */
struct wjob {
	int gate[2]; /* the job waits to read a byte */
	pthread_t ran_on, done_on;
	bool done, cancelled;
	int order;
};
static int wdone_order;

static void wjob_run(void *arg)
{
	struct wjob *j = arg;
	j->ran_on = pthread_self();
	char b;
	if (j->gate[0] >= 0 && read(j->gate[0], &b, 1) != 1)
		j->ran_on = 0;
}

static void wjob_done(void *arg, bool cancelled)
{
	struct wjob *j = arg;
	j->done_on = pthread_self();
	j->done = true;
	j->cancelled = cancelled;
	j->order = ++wdone_order;
}

static int ticks;
static int64_t tick(struct kiosk_loop *l, int id, void *arg)
{
	(void)l;
	(void)id;
	(void)arg;
	ticks++;
	return 1;
}

static void slow_work_leaves_the_loop_free(void)
{
	struct kiosk_loop *l;
	CHECK_INT(kiosk_loop_new(&l), KIOSK_OK);
	struct kiosk_work *w;
	CHECK_INT(kiosk_work_new(l, &w), KIOSK_OK);
	struct wjob a = {.gate = {-1, -1}}, b = {.gate = {-1, -1}};
	CHECK_INT(pipe(a.gate), 0);
	CHECK_INT(kiosk_work_submit(w, wjob_run, wjob_done, &a), KIOSK_OK);
	CHECK_INT(kiosk_work_submit(w, wjob_run, wjob_done, &b), KIOSK_OK);
	CHECK_INT(kiosk_work_pending(w), 2);
	kiosk_loop_add_timer(l, 1, tick, NULL);
	/* the first job is held: the loop still runs, nothing is done */
	for (int i = 0; i < 50 && ticks < 20; i++)
		kiosk_loop_run_once(l, 5);
	CHECK(ticks >= 20);
	CHECK(!a.done && !b.done);
	/* a full queue is refused at once */
	struct wjob many[KIOSK_WORK_JOBS];
	int took = 0;
	for (int i = 0; i < KIOSK_WORK_JOBS; i++) {
		many[i] = (struct wjob){.gate = {-1, -1}};
		took += kiosk_work_submit(w, wjob_run, wjob_done, &many[i]) == KIOSK_OK;
	}
	CHECK_INT(took, KIOSK_WORK_JOBS - 2);
	CHECK_INT(kiosk_work_submit(w, wjob_run, wjob_done, &b), KIOSK_EBUSY);
	/* let it go: done runs here, on the loop's thread, first job first */
	CHECK_INT(write(a.gate[1], "x", 1), 1);
	for (int i = 0; i < 400 && kiosk_work_pending(w) > 0; i++)
		kiosk_loop_run_once(l, 5);
	CHECK_INT(kiosk_work_pending(w), 0);
	CHECK(a.done && b.done && !a.cancelled);
	CHECK(pthread_equal(a.done_on, pthread_self()));
	CHECK(!pthread_equal(a.ran_on, pthread_self()));
	CHECK(a.order < b.order);
	CHECK_INT((long)kiosk_work_done_count(w), KIOSK_WORK_JOBS);
	/* freed with a job held: its done says cancelled */
	struct wjob c = {.gate = {-1, -1}};
	CHECK_INT(pipe(c.gate), 0);
	CHECK_INT(kiosk_work_submit(w, wjob_run, wjob_done, &c), KIOSK_OK);
	struct wjob d = {.gate = {-1, -1}};
	CHECK_INT(kiosk_work_submit(w, wjob_run, wjob_done, &d), KIOSK_OK);
	close(c.gate[1]); /* the held job ends (read fails) as the worker is stopped */
	kiosk_work_free(w);
	CHECK(c.done && d.done && c.cancelled && d.cancelled);
	close(a.gate[0]);
	close(a.gate[1]);
	close(c.gate[0]);
	kiosk_loop_free(l);
}

static size_t answer_ok(void *arg, const struct kiosk_control_peer *peer, const char *req,
			char *out, size_t cap)
{
	(void)arg;
	(void)peer;
	(void)req;
	return (size_t)snprintf(out, cap, "{\"ok\":true}\n");
}

static int connect_idle(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* What a hogging client saw, checked on the test's thread. */
struct hog {
	char path[64];
	int connected, hung_up;
	int busy_rc, after_rc;
	char busy[512], after[512];
	long long busy_ms;
};

static void *hog_client(void *arg)
{
	struct hog *h = arg;
	int idle[4];
	for (int i = 0; i < 4; i++)
		h->connected += (idle[i] = connect_idle(h->path)) >= 0;
	int64_t t0 = kiosk_mono_ms();
	h->busy_rc = kiosk_control_call(h->path, "status", h->busy, sizeof h->busy, 5000);
	h->busy_ms = (long long)(kiosk_mono_ms() - t0);
	/* the idle ones are closed by the kiosk: a hang-up within 5 s */
	for (int i = 0; i < 4; i++) {
		struct pollfd p = {idle[i], POLLIN, 0};
		char b[8];
		if (idle[i] >= 0 && poll(&p, 1, 5000) == 1 && read(idle[i], b, sizeof b) <= 0)
			h->hung_up++;
		if (idle[i] >= 0)
			close(idle[i]);
	}
	h->after_rc = kiosk_control_call(h->path, "status", h->after, sizeof h->after, 5000);
	return NULL;
}

/* Another user holding idle connections: it gets 4 of the 16 slots, the 5th is told
 * "busy" at once (not left to time out); the idle ones are closed after 2 s without a
 * request; then it is served again. The other user is a child process: as root it
 * becomes nobody, in the socket's group (as a member of the kiosk's group would be);
 * otherwise the kiosk's user is declared to be someone else. */
static void control_socket_cannot_be_hogged(void)
{
	char dir[] = "/tmp/kiosk-ctl-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	chmod(dir, 0755);
	struct hog h;
	memset(&h, 0, sizeof h);
	snprintf(h.path, sizeof h.path, "%s/control.sock", dir);
	struct kiosk_loop *l;
	struct kiosk_control *c;
	CHECK_INT(kiosk_loop_new(&l), KIOSK_OK);
	CHECK_INT(kiosk_control_open(l, h.path, answer_ok, NULL, &c), KIOSK_OK);
	bool root = getuid() == 0;
	if (root)
		CHECK_INT(chown(h.path, (uid_t)-1, 65534), 0);
	else
		kiosk_control_set_owner(c, getuid() + 1);
	int pfd[2];
	CHECK_INT(pipe(pfd), 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (root && (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		hog_client(&h);
		ssize_t w = write(pfd[1], &h, sizeof h);
		_exit(w == (ssize_t)sizeof h ? 0 : 4);
	}
	close(pfd[1]);
	struct pollfd p = {pfd[0], POLLIN, 0};
	int64_t until = kiosk_mono_ms() + 20000;
	while (poll(&p, 1, 0) == 0 && kiosk_mono_ms() < until)
		kiosk_loop_run_once(l, 50);
	CHECK_INT(read(pfd[0], &h, sizeof h), (int)sizeof h);
	close(pfd[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(h.connected, 4);
	CHECK_INT(h.busy_rc, KIOSK_OK);
	CHECK(strstr(h.busy, "\"EBUSY\"") != NULL);
	CHECK(strstr(h.busy, "try again") != NULL);
	printf("  busy said in %lld ms\n", h.busy_ms);
	CHECK_INT(h.hung_up, 4);
	CHECK_INT(h.after_rc, KIOSK_OK);
	CHECK_STR(h.after, "{\"ok\":true}");
	kiosk_control_close(c);
	kiosk_loop_free(l);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"timers_fire_in_due_order", timers_fire_in_due_order},
		{"fd_callbacks_and_limits", fd_callbacks_and_limits},
		{"queue_is_bounded_and_fifo", queue_is_bounded_and_fifo},
		{"core_thread_answers_commands", core_thread_answers_commands},
		{"slow_work_leaves_the_loop_free", slow_work_leaves_the_loop_free},
		{"control_socket_cannot_be_hogged", control_socket_cannot_be_hogged},
		{0},
	};
	return test_main(argc, argv, cases);
}
