#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "csys.h"

int csys_set_thread_name(const char *name) { return pthread_setname_np(pthread_self(), name); }

int csys_lower_thread_priority(int nice_value) {
    /* On Linux a thread is a task: PRIO_PROCESS with its tid sets only this thread's nice value. */
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice_value);
}

int csys_cpu_count(void) {
    cpu_set_t s;
    CPU_ZERO(&s);
    if (sched_getaffinity(0, sizeof s, &s) == 0) return CPU_COUNT(&s);
    return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

int csys_accept4(int fd, int flags) { return accept4(fd, NULL, NULL, flags); }

void csys_line_buffer_stdio(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    setvbuf(stderr, NULL, _IOLBF, 0);
}

int csys_is_tty(int fd) { return isatty(fd); }

static void shutdown_set(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

int csys_block_shutdown_signals(void) {
    sigset_t set;
    shutdown_set(&set);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int csys_wait_shutdown_signal(void) {
    sigset_t set;
    shutdown_set(&set);
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return -1;
    return sig;
}
