/* Images from assets/icons and other pictures of ours (PNG or SVG, through SDL2_image), cached as textures by name
 * and size, within the bounds of kiosk/caches.h. A missing or broken file is drawn as an outlined box with a cross and logged
 * once: visibly wrong, never a crash. */
#ifndef KIOSK_SCREENS_IMAGE_H
#define KIOSK_SCREENS_IMAGE_H

#include "screens/ui.h"
#include "kiosk/caches.h"

/* Draws assets/icons/<name> fitted and centred in r. KIOSK_OK or KIOSK_ENOENT (the
 * placeholder was drawn). */
int ui_image(struct ui *ui, const char *name, SDL_Rect r);
/* Draws <assets>/<name> (a picture the core named, e.g. a product's) the same way. */
int ui_picture(struct ui *ui, const char *name, SDL_Rect r);
/* Frees every cached image texture (at UI shutdown). */
void ui_images_free(struct ui *ui);
/* The cache's fill and bounds. */
void ui_images_stat(struct kiosk_cache_stat *out);

#endif
