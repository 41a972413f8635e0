// Reference forwarder for the benchmark: the plainest libpcap bump in the wire. Two ports, one thread per
// direction; each thread reads a frame with pcap_next_ex on one port and re-injects it unchanged with
// pcap_sendpacket on the other. It does what bitw's permit path does minus policy, so it is the yardstick for
// that path's per-frame cost (one syscall per frame on send, libpcap's ring on receive).
//
// Usage: pcap_fwd IF_A IF_B      (runs until SIGINT/SIGTERM; prints per-direction counts on exit)
// Build: gcc -O2 -pthread -o pcap_fwd pcap_fwd.c -lpcap
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct direction {
    const char *from_name, *to_name;
    pcap_t *from, *to;
    unsigned long long frames, send_errors;
};

static volatile sig_atomic_t stopping;
static pcap_t *handles[2];

static pcap_t *open_port(const char *dev) {
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_create(dev, err);
    if (!p) { fprintf(stderr, "pcap_create %s: %s\n", dev, err); exit(1); }
    // Same settings as a pcap_open_live(dev, 65535, promisc=1, ...) in immediate mode, with a large buffer to
    // absorb bursts (the appliance uses the same kind of settings).
    pcap_set_snaplen(p, 65535);
    pcap_set_promisc(p, 1);
    pcap_set_immediate_mode(p, 1);
    pcap_set_buffer_size(p, 32 << 20);
    pcap_set_timeout(p, 100);
    int rc = pcap_activate(p);
    if (rc < 0) { fprintf(stderr, "pcap_activate %s: %s\n", dev, pcap_geterr(p)); exit(1); }
    // Capture only what arrives on the port, or each port would re-capture the frames we inject into it.
    if (pcap_setdirection(p, PCAP_D_IN) != 0) { fprintf(stderr, "setdirection %s: %s\n", dev, pcap_geterr(p)); exit(1); }
    return p;
}

static void *forward(void *arg) {
    struct direction *d = arg;
    struct pcap_pkthdr *hdr;
    const u_char *data;
    while (!stopping) {
        int rc = pcap_next_ex(d->from, &hdr, &data);
        if (rc == 1) {
            if (pcap_sendpacket(d->to, data, (int) hdr->caplen) == 0) d->frames++;
            else d->send_errors++;
        } else if (rc < 0) {
            break; // PCAP_ERROR_BREAK after pcap_breakloop, or a real error
        }
    }
    return NULL;
}

static void on_signal(int sig) {
    (void) sig;
    stopping = 1;
    for (int i = 0; i < 2; i++) if (handles[i]) pcap_breakloop(handles[i]);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s IF_A IF_B\n", argv[0]); return 2; }
    handles[0] = open_port(argv[1]);
    handles[1] = open_port(argv[2]);
    struct direction dirs[2] = {
        { argv[1], argv[2], handles[0], handles[1], 0, 0 },
        { argv[2], argv[1], handles[1], handles[0], 0, 0 },
    };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, forward, &dirs[i]);
    fprintf(stderr, "pcap_fwd: forwarding %s <-> %s\n", argv[1], argv[2]);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < 2; i++)
        fprintf(stderr, "pcap_fwd: %s -> %s: %llu frames, %llu send errors\n",
                dirs[i].from_name, dirs[i].to_name, dirs[i].frames, dirs[i].send_errors);
    return 0;
}
