/* Files shipped with the kiosk (the assets folder): where one is, which names may be a
 * picture of ours, and reading one whole. */
#ifndef KIOSK_ASSETS_H
#define KIOSK_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

/* A picture's name fits the snapshot's (struct kiosk_vend_view.image). */
#define KIOSK_ASSET_NAME_MAX 40

/* <assets>/<rel> when assets (the config's ui.assets) is given, else the installed file
 * when it is there, else the source tree's (a build run in place). */
void kiosk_asset_path(const char *assets, const char *rel, char *out, size_t n);

/* Whether name may be drawn as one of our pictures: relative to the assets folder, of
 * lower-case letters, digits, '-', '_', '.' and '/', no "..", no empty folder, ending in
 * ".svg" or ".png", shorter than KIOSK_ASSET_NAME_MAX. A web address is not: the kiosk
 * fetches no pictures (a product the platform gives one is drawn plainly). */
bool kiosk_asset_picture_ok(const char *name);

/* The whole file, NUL-terminated, in *out (caller frees with kiosk_free), at most max
 * bytes. KIOSK_OK; KIOSK_ENOENT, KIOSK_EIO, KIOSK_EPARSE (larger than max) or
 * KIOSK_ENOMEM with why naming the file. */
int kiosk_asset_read(const char *path, size_t max, char **out, size_t *len, char *why,
		     size_t wlen);

#endif
