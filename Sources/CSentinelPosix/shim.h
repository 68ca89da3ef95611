#ifndef SENTINEL_CSENTINELPOSIX_SHIM_H
#define SENTINEL_CSENTINELPOSIX_SHIM_H
// Linux interfaces the Glibc module does not expose to Swift (as swift-nio's CNIOLinux does).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <netinet/tcp.h>
#endif
