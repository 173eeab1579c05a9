#ifndef DESKGATE_CSYS_H
#define DESKGATE_CSYS_H
// Wrappers for GNU-only libc APIs: Swift's Glibc module is built without _GNU_SOURCE.
int csys_set_thread_name(const char *name);
int csys_cpu_count(void);
// Sets the calling thread's nice value (Linux: per thread). 0 on success.
int csys_lower_thread_priority(int nice_value);
int csys_accept4(int fd, int flags);
void csys_line_buffer_stdio(void);
int csys_is_tty(int fd);
// Block SIGINT/SIGTERM/SIGHUP in the calling thread (and threads it creates later),
// so one dedicated thread can receive them with sigwait.
int csys_block_shutdown_signals(void);
// Waits for one of the blocked signals; returns its number.
int csys_wait_shutdown_signal(void);
#endif
