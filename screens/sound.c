#include "screens/sound.h"
#include "hal/base/log.h"

#include <math.h>

#define RATE 22050
#define CLICK_MS 25

static Sint16 click[RATE * CLICK_MS / 1000];

void ui_sound_open(struct ui *ui)
{
	ui->audio = 0;
	if (!ui->cfg->ui_click_sound && !ui->cfg->ui_speech)
		return;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		KLOG_WARN("ui", "event=no_audio err=\"%s\"", SDL_GetError());
		return;
	}
	SDL_AudioSpec want = {.freq = RATE, .format = AUDIO_S16SYS, .channels = 1, .samples = 512};
	ui->audio = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
	if (!ui->audio) {
		KLOG_WARN("ui", "event=no_audio err=\"%s\"", SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		return;
	}
	/* 2 kHz with a fast decay: short enough to feel like a key, not a beep. */
	int n = (int)(sizeof click / sizeof click[0]);
	for (int i = 0; i < n; i++)
		click[i] = (Sint16)(9000.0 * exp(-i / (RATE * 0.004)) * sin(2 * M_PI * 2000 * i / RATE));
	SDL_PauseAudioDevice(ui->audio, 0);
}

void ui_sound_click(struct ui *ui)
{
	if (ui->cfg->ui_click_sound && ui->audio && SDL_GetQueuedAudioSize(ui->audio) < sizeof click)
		SDL_QueueAudio(ui->audio, click, sizeof click);
}

void ui_sound_close(struct ui *ui)
{
	if (!ui->audio)
		return;
	SDL_CloseAudioDevice(ui->audio);
	SDL_QuitSubSystem(SDL_INIT_AUDIO);
	ui->audio = 0;
}
