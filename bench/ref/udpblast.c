// Traffic generator for the benchmark's frames-per-second test: sends one pre-built Ethernet/IPv4/UDP frame of
// a given length as fast as it can for N seconds through an AF_PACKET raw socket, in sendmmsg bursts (one
// syscall per burst, qdisc bypassed), so the generator costs as little CPU as possible on a 2-core machine.
// The receiver side counts what arrives (interface rx counters); this program only reports what it sent.
//
// Usage: udpblast -i IF -m DST_MAC -s SRC_IP -d DST_IP -l FRAME_LEN -t SECONDS [-b BURST] [-p DST_PORT]
//   FRAME_LEN is the Ethernet frame as handed to the socket (header + IP packet, no FCS), 60..1514.
// Build: gcc -O2 -o udpblast udpblast.c
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BURST 256

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint16_t ip_checksum(const void *data, int len) {
    const uint16_t *w = data;
    uint32_t sum = 0;
    for (; len > 1; len -= 2) sum += *w++;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t) ~sum;
}

static int parse_mac(const char *text, uint8_t mac[6]) {
    return sscanf(text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) == 6;
}

int main(int argc, char **argv) {
    const char *ifname = NULL, *src_ip = NULL, *dst_ip = NULL;
    uint8_t dst_mac[6];
    int have_mac = 0, len = 64, burst = 64, port = 9;
    double seconds = 5;
    int opt;
    while ((opt = getopt(argc, argv, "i:m:s:d:l:t:b:p:")) != -1) {
        switch (opt) {
            case 'i': ifname = optarg; break;
            case 'm': have_mac = parse_mac(optarg, dst_mac); break;
            case 's': src_ip = optarg; break;
            case 'd': dst_ip = optarg; break;
            case 'l': len = atoi(optarg); break;
            case 't': seconds = atof(optarg); break;
            case 'b': burst = atoi(optarg); break;
            case 'p': port = atoi(optarg); break;
            default: goto usage;
        }
    }
    if (!ifname || !have_mac || !src_ip || !dst_ip || len < 60 || len > 1514 || burst < 1 || burst > MAX_BURST) goto usage;

    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) { perror("socket"); return 1; }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) { perror("SIOCGIFHWADDR"); return 1; }
    int one = 1;
    // Skip the qdisc layer: the generator should cost as little as possible.
    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    int sndbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);

    uint8_t frame[1514];
    memset(frame, 0, sizeof frame);
    struct ether_header *eth = (struct ether_header *) frame;
    memcpy(eth->ether_dhost, dst_mac, 6);
    memcpy(eth->ether_shost, ifr.ifr_hwaddr.sa_data, 6);
    eth->ether_type = htons(ETHERTYPE_IP);
    struct iphdr *ip = (struct iphdr *) (frame + sizeof *eth);
    ip->version = 4;
    ip->ihl = 5;
    ip->tot_len = htons((uint16_t) (len - sizeof *eth));
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    if (inet_pton(AF_INET, src_ip, &ip->saddr) != 1 || inet_pton(AF_INET, dst_ip, &ip->daddr) != 1) goto usage;
    ip->check = ip_checksum(ip, sizeof *ip);
    struct udphdr *udp = (struct udphdr *) (ip + 1);
    udp->source = htons(40000);
    udp->dest = htons((uint16_t) port);
    udp->len = htons((uint16_t) (len - sizeof *eth - sizeof *ip));
    udp->check = 0; // optional in IPv4; the receiver only counts frames
    for (int i = (int) (sizeof *eth + sizeof *ip + sizeof *udp); i < len; i++) frame[i] = (uint8_t) i;

    struct sockaddr_ll to;
    memset(&to, 0, sizeof to);
    to.sll_family = AF_PACKET;
    to.sll_ifindex = (int) if_nametoindex(ifname);
    to.sll_halen = 6;
    memcpy(to.sll_addr, dst_mac, 6);

    // Every message of a burst points at the same frame: the content is identical, only the count matters.
    static struct mmsghdr msgs[MAX_BURST];
    static struct iovec iov[MAX_BURST];
    for (int i = 0; i < burst; i++) {
        iov[i].iov_base = frame;
        iov[i].iov_len = (size_t) len;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &to;
        msgs[i].msg_hdr.msg_namelen = sizeof to;
    }

    unsigned long long sent = 0, errors = 0;
    double start = now(), end = start + seconds, t = start;
    while (t < end) {
        int n = sendmmsg(fd, msgs, (unsigned) burst, 0);
        if (n > 0) sent += (unsigned) n;
        else errors++;
        t = now();
    }
    double elapsed = t - start;
    printf("udpblast: %s len %d: sent %llu frames in %.2f s = %.0f frames/s (%llu failed bursts)\n",
           ifname, len, sent, elapsed, sent / elapsed, errors);
    return 0;

usage:
    fprintf(stderr, "usage: %s -i IF -m DST_MAC -s SRC_IP -d DST_IP -l FRAME_LEN(60..1514) -t SECONDS [-b BURST<=%d] [-p PORT]\n",
            argv[0], MAX_BURST);
    return 2;
}
