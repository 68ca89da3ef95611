// Closed-loop load generator for benchmarks/rpc.sh: C connections, each with one request in flight; a request is
// a Sentinel REQUEST frame (PROTOCOL.md) of 150 bytes in total (20-byte header + 130-byte payload) for method 100.
// Measures round trips per second and p50/p99 latency after a warm-up.
// Usage: rpc-load PORT CONNECTIONS SECONDS   → prints "rps=… p50_us=… p99_us=… errors=…"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME 150
#define MAXLAT (1 << 22)

typedef struct {
    int fd;
    uint32_t id;
    uint64_t sent_at;
    size_t got;
    unsigned char in[4096];
} conn;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void send_request(conn *c) {
    unsigned char f[FRAME] = {0x53, 0x4E, 1, 1};
    uint32_t len = FRAME - 20;
    f[4] = len >> 24; f[5] = len >> 16; f[6] = len >> 8; f[7] = len;
    c->id++;
    f[8] = c->id >> 24; f[9] = c->id >> 16; f[10] = c->id >> 8; f[11] = c->id;
    f[12] = 0; f[13] = 100;
    memset(f + 20, 'x', len);
    c->sent_at = now_ns();
    if (send(c->fd, f, FRAME, MSG_NOSIGNAL) != FRAME) { perror("send"); exit(1); }
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: rpc-load PORT CONNECTIONS SECONDS\n"); return 64; }
    int port = atoi(argv[1]), n = atoi(argv[2]);
    double seconds = atof(argv[3]);
    int ep = epoll_create1(0);
    conn *cs = calloc((size_t)n, sizeof(conn));
    for (int i = 0; i < n; i++) {
        cs[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (connect(cs[i].fd, (struct sockaddr *)&a, sizeof a)) { perror("connect"); return 1; }
        int one = 1;
        setsockopt(cs[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cs[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    uint32_t *lat = malloc(sizeof(uint32_t) * MAXLAT);
    size_t nlat = 0;
    uint64_t errors = 0, done = 0;
    uint64_t start = now_ns(), warm = start + 1000000000ull, end = warm + (uint64_t)(seconds * 1e9);
    for (int i = 0; i < n; i++) send_request(&cs[i]);
    struct epoll_event events[256];
    uint64_t t = start;
    while ((t = now_ns()) < end) {
        int k = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < k; i++) {
            conn *c = events[i].data.ptr;
            ssize_t r = read(c->fd, c->in + c->got, sizeof c->in - c->got);
            if (r <= 0) { fprintf(stderr, "connection closed by server\n"); return 1; }
            c->got += (size_t)r;
            if (c->got < FRAME) continue;
            uint64_t now = now_ns();
            if (c->in[3] != 2 || c->in[12] != 0 || c->in[13] != 0) errors++;
            c->got -= FRAME;
            memmove(c->in, c->in + FRAME, c->got);
            if (now >= warm) {
                done++;
                if (nlat < MAXLAT) lat[nlat++] = (uint32_t)((now - c->sent_at) / 1000);
            }
            send_request(c);
        }
    }
    qsort(lat, nlat, sizeof *lat, cmp);
    double elapsed = (double)(t - warm) / 1e9;
    printf("rps=%.0f p50_us=%u p99_us=%u errors=%llu\n", done / elapsed, nlat ? lat[nlat / 2] : 0,
           nlat ? lat[nlat * 99 / 100] : 0, (unsigned long long)errors);
    return 0;
}
