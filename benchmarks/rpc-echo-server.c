// Baseline for benchmarks/rpc.sh: a minimal single-threaded epoll server speaking the Sentinel frame format
// (PROTOCOL.md) that answers every REQUEST with a RESPONSE (status OK) echoing its payload. No timeouts, no
// limits beyond a fixed buffer: the least work a server on this protocol can do.
// Usage: rpc-echo-server PORT   (prints "listening on 127.0.0.1:PORT"; PORT 0 picks one)
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF (256 * 1024)

typedef struct {
    int fd;
    size_t in_len;
    unsigned char in[BUF];
    size_t out_len;
    unsigned char out[BUF + 4096];
} conn;

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static void nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 1024)) { perror("bind/listen"); return 1; }
    socklen_t al = sizeof a;
    getsockname(lfd, (struct sockaddr *)&a, &al);
    printf("listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
    fflush(stdout);
    nonblock(lfd);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; i++) {
            conn *c = events[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept(lfd, NULL, NULL)) >= 0) {
                    nonblock(fd);
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conn *nc = calloc(1, sizeof(conn));
                    nc->fd = fd;
                    struct epoll_event cev = {.events = EPOLLIN, .data.ptr = nc};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                }
                continue;
            }
            ssize_t r = read(c->fd, c->in + c->in_len, BUF - c->in_len);
            if (r <= 0) {
                if (r < 0 && errno == EAGAIN) continue;
                close(c->fd);
                free(c);
                continue;
            }
            c->in_len += (size_t)r;
            size_t off = 0;
            while (c->in_len - off >= 20) {
                unsigned char *h = c->in + off;
                uint32_t len = be32(h + 4);
                if (h[0] != 0x53 || h[1] != 0x4E || len > BUF - 20) { c->in_len = 0; off = 0; break; }
                if (c->in_len - off < 20 + len) break;
                unsigned char *o = c->out + c->out_len;
                memcpy(o, h, 20 + len);
                o[3] = 2;  // RESPONSE
                o[12] = o[13] = 0;  // status OK
                o[16] = o[17] = o[18] = o[19] = 0;
                c->out_len += 20 + len;
                off += 20 + len;
            }
            memmove(c->in, c->in + off, c->in_len - off);
            c->in_len -= off;
            size_t sent = 0;
            while (sent < c->out_len) {
                ssize_t w = send(c->fd, c->out + sent, c->out_len - sent, MSG_NOSIGNAL);
                if (w <= 0) break;  // closed-loop load: the socket buffer never fills
                sent += (size_t)w;
            }
            c->out_len = 0;
        }
    }
}
