/* Inside kiosk/geo: building a model from elements as the readers hand them over (OSM XML
 * and GeoJSON share it): every node's position by id, the walkable ways kept until the end
 * (their nodes may come later in a file), places from nodes and from closed ways. */
#ifndef KIOSK_GEO_BUILD_H
#define KIOSK_GEO_BUILD_H

#include "kiosk/geo/model.h"

struct geo_build;

int geo_build_new(struct geo_build **out);
void geo_build_free(struct geo_build *b);
/* A node: its position, and a place if its tags say so. */
int geo_build_node(struct geo_build *b, int64_t id, double lat, double lon,
		   const struct geo_tag *tags, int ntags);
/* A way: a walkable street (highway), and/or a place (a building with a shop's tags …). */
int geo_build_way(struct geo_build *b, int64_t id, const int64_t *refs, int nrefs,
		  const struct geo_tag *tags, int ntags);
/* The model: edges between consecutive nodes of each kept way whose nodes are known,
 * places at their node or their way's centre. Moves the result into *m. */
int geo_build_finish(struct geo_build *b, struct geo_model *m);
/* Counts a skipped element. */
void geo_build_skip(struct geo_build *b, enum geo_skip why);

/* Great-circle distance in metres. */
double geo_distance_m(double lat1, double lon1, double lat2, double lon2);
/* Outside text for one line on screen (a street's name, a map's credit): src (NULL: none)
 * into dst, cut to fit at a character, never inside one, control bytes as spaces. */
void geo_text_line(char *dst, size_t cap, const char *src);

#endif
