/* 助餐's screens (screens/meal.c, meal_draw.c, meal_staff.c): what they share — finding a
 * meal in the session's menu, a canteen's name and walk from the map, and the parts drawn
 * for each step. */
#ifndef KIOSK_SCREENS_MEAL_H
#define KIOSK_SCREENS_MEAL_H

#include "screens/print_offer.h"
#include "screens/ui.h"
#include "screens/ui/widget.h"
#include "kiosk/neighbourhood.h"

extern const struct screen ui_screen_meal_staff;

/* The meal of that id in the session's menu; NULL when it is not on it. */
const struct kiosk_meal_view *ui_meal_find(const struct ui *ui, const char *id);
const char *ui_meal_name(const struct ui *ui, const struct kiosk_meal_view *v);
/* "09:30 截止" / "order by 09:30" for a meal (with its date when not on its own day). */
void ui_meal_deadline(const struct ui *ui, const struct kiosk_meal_view *v, char *out,
		      size_t cap);
/* The canteen's name and "步行5分钟" from the map (nb may be NULL: "社区食堂", no walk). */
void ui_meal_canteen(const struct ui *ui, const struct kiosk_neighbourhood *nb,
		     const char *canteen, char *name, size_t ncap, char *walk, size_t wcap);

/* The steps (screens/meal_draw.c). */
void ui_meal_draw_typing(struct ui *ui, SDL_Rect rest, const char *prompt, const char *field,
			 const char *text, enum ui_field_show show, const char *msg);
void ui_meal_draw_menu(struct ui *ui, const struct kiosk_neighbourhood *nb, int day, int *page,
		       const char *msg, SDL_Rect rest, SDL_Rect bottom);
void ui_meal_draw_confirm(struct ui *ui, const struct kiosk_neighbourhood *nb, const char *id,
			  int portions, bool home, const char *msg, SDL_Rect rest,
			  SDL_Rect bottom);
void ui_meal_draw_outcome(struct ui *ui, const struct kiosk_neighbourhood *nb,
			  const struct ui_print *print, SDL_Rect rest, SDL_Rect bottom);
/* The ticket read out: its number digit by digit, the day, the meal, where to get it. */
bool ui_meal_ticket_words(const struct ui *ui, const struct kiosk_neighbourhood *nb, char *out,
			  size_t len);

#endif
