#ifndef EUCA_CZLIB_SHIM_H
#define EUCA_CZLIB_SHIM_H
#include <zlib.h>
#endif
