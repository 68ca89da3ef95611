#ifndef SENTINEL_CPROTOBUFC_SHIM_H
#define SENTINEL_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
