#ifndef DESKGATE_CLINUX_SHIM_H
#define DESKGATE_CLINUX_SHIM_H
// Swift's Glibc module does not include these Linux-only headers.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <netinet/tcp.h>
#endif
