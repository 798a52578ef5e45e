/* Where people live, from a map's tags (docs/coverage.md, "Residents are counted where they
 * live"): a residential building is one home at its nodes' mean; residential land
 * (landuse=residential, a closed way) with no residential building inside it is sampled on
 * a grid, GEO_HOME_GRID_M apart, so a compound mapped only by its outline still counts.
 * Pure: the build (build.c) hands the shapes over once their nodes are known. */
#ifndef KIOSK_GEO_HOMES_H
#define KIOSK_GEO_HOMES_H

#include "kiosk/geo/osm.h"
#include "kiosk/store/homes.h"

#include <stdbool.h>
#include <stddef.h>

#define GEO_HOME_GRID_M 50.0
/* An area larger than this many grid cells is sampled more coarsely (a whole district
 * tagged residential is thousands of homes' worth, not millions). */
#define GEO_HOME_AREA_MAX 4000

/* Is a building with these tags one people live in? (building=residential, apartments,
 * house and the kinds of house: detached, semidetached_house, terrace, bungalow,
 * dormitory) */
bool geo_home_building(const struct geo_tag *tags, int ntags);
/* Is a closed way with these tags residential land? */
bool geo_home_land(const struct geo_tag *tags, int ntags);

/* A closed ring of points (lat, lon), first and last the same or not. */
struct geo_ring {
	const double (*pts)[2];
	int n;
};

/* The homes of land areas (na rings) that hold none of the nb buildings given: each
 * sampled at the grid's points inside it, at its nodes' mean when none falls inside (a
 * small yard); appended to *homes (grown; *n, *cap as kiosk_grow keeps them). KIOSK_ENOMEM. */
int geo_homes_of_land(const struct kiosk_map_home *buildings, size_t nb,
		      const struct geo_ring *areas, size_t na, struct kiosk_map_home **homes,
		      size_t *n, size_t *cap);

#endif
