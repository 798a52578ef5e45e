# Every third-party library comes from Debian through pkg-config; cmake/install-deps.sh
# installs the packages. A missing one stops configure with the package to install.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

function(kiosk_require var module debpkg)
  pkg_check_modules(${var} IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "${module} not found: run cmake/install-deps.sh (Debian package ${debpkg})")
  endif()
endfunction()

kiosk_require(SDL2       sdl2          libsdl2-dev)
kiosk_require(SDL2_TTF   SDL2_ttf      libsdl2-ttf-dev)
kiosk_require(SDL2_IMAGE SDL2_image    libsdl2-image-dev)
kiosk_require(USB        libusb-1.0    libusb-1.0-0-dev)
kiosk_require(CURL       libcurl       libcurl4-openssl-dev)
kiosk_require(CJSON      libcjson      libcjson-dev)
kiosk_require(SQLITE     sqlite3       libsqlite3-dev)
kiosk_require(QRENCODE   libqrencode   libqrencode-dev)
kiosk_require(EXPAT      expat         libexpat1-dev)
kiosk_require(CRYPTO     libcrypto     libssl-dev)
kiosk_require(FONTCONFIG fontconfig    libfontconfig-dev)
kiosk_require(ESPEAK     espeak-ng     libespeak-ng-dev)
