/* Street names on the map, along their streets: each name once, on the longest straight
 * stretch of it in sight (segments of one name that meet end to start and stay within 4 m
 * of one line), slid along it or on the next longest when something is in the way, off
 * the pins and controls given and off each other. Chinese characters stand upright one
 * after another, as maps here write street names; other names are turned with the street
 * (ui_text_along). In English a street's English name where the map has one. */
#ifndef KIOSK_SCREENS_MAP_NAMES_H
#define KIOSK_SCREENS_MAP_NAMES_H

#include "screens/ui.h"
#include "kiosk/neighbourhood.h"

struct map_names;

/* Where (lat, lon) is on screen. */
typedef void (*map_project_fn)(double lat, double lon, float *x, float *y);

/* The stretches of nb's streets, kx metres per degree of longitude. *out is the caller's
 * (map_names_free); it reads nb only while built. KIOSK_ENOMEM. */
int map_names_build(const struct kiosk_neighbourhood *nb, double kx, struct map_names **out);
void map_names_free(struct map_names *mn);

/* Draws the names that fit in view, clear of the navoid rectangles of avoid. */
void map_names_draw(struct ui *ui, const struct map_names *mn,
		    const struct kiosk_neighbourhood *nb, SDL_Rect view, map_project_fn project,
		    const SDL_Rect *avoid, int navoid);

#endif
