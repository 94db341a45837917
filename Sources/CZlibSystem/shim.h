#ifndef CZLIBSYSTEM_SHIM_H
#define CZLIBSYSTEM_SHIM_H
#include <zlib.h>
#endif
