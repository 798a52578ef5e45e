# One interface target carries the warning set so every target of ours gets the same one.
add_library(kiosk_warnings INTERFACE)
target_compile_options(kiosk_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wundef
  -Wnull-dereference -Wvla)
if(KIOSK_WERROR)
  target_compile_options(kiosk_warnings INTERFACE -Werror)
endif()
