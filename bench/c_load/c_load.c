/* c_load: a minimal closed-loop TCP load generator in plain C, the yardstick for
 * `rpcbench bench` (bench/generator_compare.sh). It sends the very request rpcbench bench
 * sends by default (a JSON-RPC 2.0 echo call with a PAYLOAD-byte string, newline-framed)
 * over CONNS connections with DEPTH calls in flight each, to a raw echo server, and counts a
 * reply per request-sized chunk echoed back — as `rpcbench bench --echo` does. One thread,
 * poll(), non-blocking sockets, TCP_NODELAY: roughly what a careful hand-written C client
 * does, so if rpcbench bench reaches the same calls/s, it is not the bottleneck.
 *
 *   c_load HOST PORT CONNS DEPTH SECONDS [PAYLOAD=16] [WARMUP=0.5]
 * Prints: "requestBytes N", "calls N", "seconds S", "callsPerSec R".
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
    int fd;
    size_t owed;    /* request bytes still to write (whole requests, possibly partly written) */
    size_t partial; /* bytes of a reply received so far (< request size) */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *build_request(size_t payload, size_t *size)
{
    static const char head[] = "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"";
    static const char tail[] = "\"]}\n";
    *size = strlen(head) + payload + strlen(tail);
    char *request = malloc(*size);
    if (!request)
        return NULL;
    memcpy(request, head, strlen(head));
    memset(request + strlen(head), 'x', payload);
    memcpy(request + strlen(head) + payload, tail, strlen(tail));
    return request;
}

static int connect_to(const char *host, int port)
{
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* Writes as much of what the connection owes as the socket takes. */
static int flush_owed(struct conn *c, const char *burst, size_t burst_size)
{
    while (c->owed > 0) {
        size_t n = c->owed < burst_size ? c->owed : burst_size;
        ssize_t w = write(c->fd, burst + (burst_size - n), n);
        if (w < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        c->owed -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: c_load HOST PORT CONNS DEPTH SECONDS [PAYLOAD=16] [WARMUP=0.5]\n");
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]), conns = atoi(argv[3]), depth = atoi(argv[4]);
    double seconds = atof(argv[5]);
    size_t payload = argc > 6 ? (size_t)atol(argv[6]) : 16;
    double warmup = argc > 7 ? atof(argv[7]) : 0.5;
    if (port <= 0 || conns <= 0 || depth <= 0 || !(seconds > 0) || warmup < 0) {
        fprintf(stderr, "c_load: bad arguments\n");
        return 2;
    }
    size_t request_size = 0;
    char *request = build_request(payload, &request_size);
    /* `depth` requests back to back: any whole number of requests owed is a suffix of it. */
    size_t burst_size = request_size * (size_t)depth;
    char *burst = malloc(burst_size);
    struct conn *cs = calloc((size_t)conns, sizeof *cs);
    struct pollfd *pfds = calloc((size_t)conns, sizeof *pfds);
    char *buffer = malloc(1 << 16);
    if (!request || !burst || !cs || !pfds || !buffer)
        return 1;
    for (int d = 0; d < depth; ++d)
        memcpy(burst + (size_t)d * request_size, request, request_size);
    for (int i = 0; i < conns; ++i) {
        cs[i].fd = connect_to(host, port);
        if (cs[i].fd < 0) {
            fprintf(stderr, "c_load: cannot connect to %s:%d: %s\n", host, port, strerror(errno));
            return 1;
        }
        cs[i].owed = burst_size;
        pfds[i].fd = cs[i].fd;
    }

    const double start = now_seconds(), measure_from = start + warmup, end = measure_from + seconds;
    unsigned long long calls = 0;
    int measuring = 0;
    for (;;) {
        double now = now_seconds();
        if (!measuring && now >= measure_from) {
            measuring = 1;
            calls = 0;
        }
        if (now >= end)
            break;
        for (int i = 0; i < conns; ++i) {
            if (flush_owed(&cs[i], burst, burst_size) < 0) {
                fprintf(stderr, "c_load: write: %s\n", strerror(errno));
                return 1;
            }
            pfds[i].events = POLLIN | (cs[i].owed ? POLLOUT : 0);
        }
        if (poll(pfds, (nfds_t)conns, 10) < 0 && errno != EINTR)
            return 1;
        for (int i = 0; i < conns; ++i) {
            if (!(pfds[i].revents & (POLLIN | POLLERR | POLLHUP)))
                continue;
            ssize_t r = read(cs[i].fd, buffer, 1 << 16);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                fprintf(stderr, "c_load: connection lost\n");
                return 1;
            }
            if (r < 0)
                continue;
            size_t got = cs[i].partial + (size_t)r;
            size_t replies = got / request_size;
            cs[i].partial = got % request_size;
            calls += replies;
            cs[i].owed += replies * request_size; /* one new call per reply: closed loop */
        }
    }
    double elapsed = now_seconds() - measure_from;
    printf("requestBytes %zu\ncalls %llu\nseconds %.3f\ncallsPerSec %.0f\n", request_size, calls, elapsed,
           (double)calls / elapsed);
    for (int i = 0; i < conns; ++i)
        close(cs[i].fd);
    free(buffer);
    free(pfds);
    free(cs);
    free(burst);
    free(request);
    return 0;
}
