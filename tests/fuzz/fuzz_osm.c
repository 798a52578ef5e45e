/* libFuzzer: OSM XML into a map model — any bytes, never a crash, and what is accepted
 * keeps its shape (model_check.h): every edge between two nodes the model has, a finite
 * non-negative length, every place named, in a category of ours, at a valid position; a
 * refusal says why and leaves the model empty. */
#include "model_check.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geo_model m;
	char why[160] = "";
	int rc = geo_model_from_osm((const char *)data, size, &m, why, sizeof why);
	check_model(rc, &m, why);
	return 0;
}
