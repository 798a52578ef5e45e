#include "kiosk/geo/directions.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A turn of less than this at a junction is following the street, not a turn to tell. */
#define TURN_DEG 60.0
/* Below this a hop has no direction worth reading (a snap at an edge's very end). */
#define HOP_MIN_M 0.5
/* The place counts as beside the street when the walk's last stretch points this far
 * away from it; closer to straight ahead it is "ahead". */
#define SIDE_MIN_M 3.0

static double bearing(const struct geo_hop *h)
{
	double b = atan2(h->x1 - h->x0, h->y1 - h->y0) * 180.0 / M_PI;
	return b < 0 ? b + 360.0 : b;
}

/* From one bearing to another: (-180, 180], right turns positive. */
static double turn_deg(double from, double to)
{
	double d = fmod(to - from, 360.0);
	if (d > 180.0)
		d -= 360.0;
	if (d <= -180.0)
		d += 360.0;
	return d;
}

static enum geo_turn turn_of(double d)
{
	double a = fabs(d);
	if (a < 25.0)
		return GEO_TURN_STRAIGHT;
	if (d < 0)
		return a < TURN_DEG ? GEO_TURN_SLIGHT_LEFT : a < 135.0 ? GEO_TURN_LEFT : GEO_TURN_SHARP_LEFT;
	return a < TURN_DEG ? GEO_TURN_SLIGHT_RIGHT : a < 135.0 ? GEO_TURN_RIGHT : GEO_TURN_SHARP_RIGHT;
}

/* The hops as steps, before short ones are folded: a new step where the name changes or
 * where the walk turns at a junction. raw has room for nhops. */
static int raw_steps(const struct geo_hop *hops, int nhops, geo_edge_name_fn name, void *arg,
		     struct geo_step *raw, bool *has_bearing)
{
	int n = 0, prev_ways = 0;
	for (int i = 0; i < nhops; i++) {
		const struct geo_hop *h = &hops[i];
		int nm = name(arg, h->edge);
		bool dir = h->metres >= HOP_MIN_M;
		double b = dir ? bearing(h) : 0;
		struct geo_step *cur = n ? &raw[n - 1] : NULL;
		bool split = !cur || nm != cur->name ||
			     (dir && has_bearing[n - 1] && prev_ways >= 3 &&
			      fabs(turn_deg(cur->bearing1, b)) >= TURN_DEG);
		if (split) {
			raw[n] = (struct geo_step){nm, GEO_TURN_START, 0, h->metres, b, b};
			has_bearing[n++] = dir;
		} else {
			cur->metres += h->metres;
			if (dir && !has_bearing[n - 1])
				cur->bearing0 = b;
			if (dir)
				cur->bearing1 = b;
			has_bearing[n - 1] |= dir;
		}
		prev_ways = h->ways;
	}
	return n;
}

/* Folds steps too short to tell into a neighbour (the first into the next, any other into
 * the one before, keeping that one's direction so the next turn is read from the street
 * walked), then joins neighbours of one name that continue each other. */
static int fold(struct geo_step *s, const bool *has_bearing, int n)
{
	int k = 0;
	double carry = 0; /* a folded first step's metres, for the next */
	for (int i = 0; i < n; i++) {
		struct geo_step st = s[i];
		st.metres += carry;
		carry = 0;
		if (!has_bearing[i] || (st.metres < GEO_STEP_MIN_M && n > 1)) {
			if (k > 0) {
				s[k - 1].metres += st.metres;
				continue;
			}
			if (i + 1 < n) {
				carry = st.metres;
				continue;
			}
		}
		if (k > 0 && s[k - 1].name == st.name &&
		    fabs(turn_deg(s[k - 1].bearing1, st.bearing0)) < TURN_DEG) {
			s[k - 1].metres += st.metres;
			s[k - 1].bearing1 = st.bearing1;
			continue;
		}
		s[k++] = st;
	}
	return k;
}

int geo_directions(const struct geo_hop *hops, int nhops, geo_edge_name_fn name, void *arg,
		   double from_m, double to_m, double px, double py, struct geo_directions *out)
{
	memset(out, 0, sizeof *out);
	if (nhops <= 0)
		return KIOSK_ENOENT;
	struct geo_step *raw = kiosk_malloc((size_t)nhops * sizeof *raw);
	bool *has_bearing = kiosk_malloc((size_t)nhops * sizeof *has_bearing);
	int rc = raw && has_bearing ? KIOSK_OK : KIOSK_ENOMEM;
	if (rc)
		goto out_free;
	int n = fold(raw, has_bearing, raw_steps(hops, nhops, name, arg, raw, has_bearing));
	if (n > GEO_STEPS_MAX) {
		rc = KIOSK_ENOSPACE;
		goto out_free;
	}
	raw[0].metres += from_m;
	raw[n - 1].metres += to_m;
	for (int i = 0; i < n; i++) {
		struct geo_step *s = &raw[i];
		if (i == 0)
			s->heading = (int)floor((s->bearing0 + 22.5) / 45.0) % 8;
		else
			s->turn = turn_of(turn_deg(raw[i - 1].bearing1, s->bearing0));
		out->step[i] = *s;
		out->metres += s->metres;
	}
	out->n = n;
	/* the side: the place against the last stretch's direction */
	const struct geo_hop *last = &hops[nhops - 1];
	for (int i = nhops - 1; i > 0 && last->metres < HOP_MIN_M; i--)
		last = &hops[i - 1];
	double dx = last->x1 - last->x0, dy = last->y1 - last->y0, dl = hypot(dx, dy);
	double vx = px - hops[nhops - 1].x1, vy = py - hops[nhops - 1].y1, vl = hypot(vx, vy);
	if (to_m >= SIDE_MIN_M && dl > 0 && vl > 0) {
		double cross = (dx * vy - dy * vx) / dl; /* > 0: to the left */
		if (fabs(cross) >= 0.5 * vl)
			out->side = cross > 0 ? -1 : 1;
	}
out_free:
	kiosk_free(raw);
	kiosk_free(has_bearing);
	return rc;
}

int geo_round_metres(double m)
{
	long r = m < 500 ? lround(m / 10.0) * 10 : lround(m / 50.0) * 50;
	return r < 10 ? 10 : (int)r;
}

static const char *const heading_zh[] = {"北", "东北", "东", "东南", "南", "西南", "西", "西北"};
static const char *const heading_en[] = {"north", "northeast", "east", "southeast",
					 "south", "southwest", "west", "northwest"};
static const char *const turn_zh[] = {"",   "直行",     "稍向左转", "左转",
				      "向左后方转", "稍向右转", "右转", "向右后方转"};
static const char *const turn_en[] = {"",          "Continue straight", "Bear left",
				      "Turn left", "Make a sharp left", "Bear right",
				      "Turn right", "Make a sharp right"};

static void step_words(const struct geo_step *s, const char *street, bool en, char *line,
		       size_t len)
{
	int m = geo_round_metres(s->metres);
	bool named = street && street[0];
	if (s->turn == GEO_TURN_START) {
		if (en && named)
			snprintf(line, len, "Head %s on %s for about %d m", heading_en[s->heading], street, m);
		else if (en)
			snprintf(line, len, "Head %s along the path for about %d m", heading_en[s->heading], m);
		else
			snprintf(line, len, "沿%s向%s走约%d米", named ? street : "小路", heading_zh[s->heading], m);
		return;
	}
	bool straight = s->turn == GEO_TURN_STRAIGHT;
	if (en && named)
		snprintf(line, len, "%s onto %s, about %d m", turn_en[s->turn], street, m);
	else if (en)
		snprintf(line, len, straight ? "%s, about %d m" : "%s onto the path, about %d m",
			 turn_en[s->turn], m);
	else if (named && straight)
		snprintf(line, len, "直行进入%s，走约%d米", street, m);
	else if (named)
		snprintf(line, len, "到%s路口%s，走约%d米", street, turn_zh[s->turn], m);
	else if (straight)
		snprintf(line, len, "继续直行，走约%d米", m);
	else
		snprintf(line, len, "%s进入小路，走约%d米", turn_zh[s->turn], m);
}

int geo_directions_words(const struct geo_directions *d, const char *const *names, size_t nnames,
			 const char *place, bool en, char *out, size_t len)
{
	if (!len)
		return 0;
	out[0] = '\0';
	size_t k = 0;
	int lines = 0;
	for (int i = 0; i <= d->n; i++) {
		char line[320];
		if (i < d->n) {
			const struct geo_step *s = &d->step[i];
			bool known = s->name >= 0 && (size_t)s->name < nnames;
			step_words(s, known ? names[s->name] : NULL, en, line, sizeof line);
		} else {
			const char *side = d->side < 0 ? (en ? ", on your left" : "，在您左手边")
				: d->side > 0 ? (en ? ", on your right" : "，在您右手边") : "";
			snprintf(line, sizeof line, en ? "Arrive at %s%s" : "到达%s%s", place, side);
		}
		size_t l = strlen(line) + (k ? 1 : 0);
		if (k + l >= len)
			break; /* whole lines only */
		snprintf(out + k, len - k, "%s%s", k ? "\n" : "", line);
		k += l;
		lines++;
	}
	return lines;
}
