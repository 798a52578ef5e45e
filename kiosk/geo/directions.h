/* Step-by-step walking directions from a walk's hops: the stretches along one street (or
 * one unnamed path) become a step, a step starts where the name changes or where the walk
 * turns at a junction, and each step says how to start it (the heading for the first, a
 * turn for the others). Pure functions: no graph, no store; the words are built here too,
 * in Chinese or English, from the street names the caller passes. */
#ifndef KIOSK_GEO_DIRECTIONS_H
#define KIOSK_GEO_DIRECTIONS_H

#include "kiosk/geo/route.h"

#include <stdbool.h>
#include <stddef.h>

enum geo_turn {
	GEO_TURN_START, /* the first step: a heading, not a turn */
	GEO_TURN_STRAIGHT,
	GEO_TURN_SLIGHT_LEFT,
	GEO_TURN_LEFT,
	GEO_TURN_SHARP_LEFT,
	GEO_TURN_SLIGHT_RIGHT,
	GEO_TURN_RIGHT,
	GEO_TURN_SHARP_RIGHT,
};

struct geo_step {
	int name;           /* the street's name (the caller's index), -1 a path without one */
	enum geo_turn turn; /* how the step starts */
	int heading;        /* where it starts out: 0 north, 1 north-east … 7 north-west */
	double metres;
	double bearing0, bearing1; /* degrees clockwise from north, at its start and its end */
};

#define GEO_STEPS_MAX 40
/* A step shorter than this (a crossing's few metres of footway) is folded into its
 * neighbour: nobody needs to be told to walk 6 m. */
#define GEO_STEP_MIN_M 15.0

struct geo_directions {
	struct geo_step step[GEO_STEPS_MAX];
	int n;
	int side;      /* where the place is at the end: -1 on the left, 1 on the right, 0 ahead */
	double metres; /* the steps' sum plus the walks to and from the street */
};

/* The name of a graph edge as the caller numbers names (-1 none). */
typedef int (*geo_edge_name_fn)(void *arg, size_t edge);

/* Steps from hops (geo_path_hops). from_m and to_m are the walks to the street at the start
 * and from it at the end (counted in the first and last step); (px, py) is the place, in
 * the hops' plane, for the side it is on. KIOSK_ENOENT without hops, KIOSK_ENOSPACE when
 * the walk needs more than GEO_STEPS_MAX steps. */
int geo_directions(const struct geo_hop *hops, int nhops, geo_edge_name_fn name, void *arg,
		   double from_m, double to_m, double px, double py, struct geo_directions *out);

/* The steps in words, one line each and a last line for the arrival, separated by '\n'
 * ("沿长寿路向东走约200米\n到和平街路口右转，走约150米\n到达王师傅修鞋，在您右手边" /
 * "Head east on Changshou Road for about 200 m\n…"). names[i] is name i as the map shows
 * it in that language; place the destination's name. Cut at a line's end to fit; how
 * many lines were written. */
int geo_directions_words(const struct geo_directions *d, const char *const *names, size_t nnames,
			 const char *place, bool en, char *out, size_t len);

/* Metres as a person says them: to 10 m below 500 m, to 50 m above, at least 10. */
int geo_round_metres(double m);

#endif
