// Configures the kernel's view of the appliance's interfaces at start-up: the TAP side gets the appliance's own
// MAC, MTU, addresses and default routes; the NIC ports are brought up bare (no addresses, IPv6 off, ARP off, IPv4
// forwarding off, offloads off) so that only the appliance's pipeline moves frames between them.
//
// Commands run through ProcessBuilder without a shell; each failure raises HostSetupException naming the command
// and its stderr. Not on the per-frame path.
package bitw.bridge.io;

import bitw.ipsec.packet.IpAddress;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

public final class HostInterfaceSetup {
    private static final Pattern IF_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}");
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private final List<String> ip;
    private final String ethtool;
    private final Path procSys;

    /** Uses {@code ip} and {@code ethtool} from PATH and the real /proc/sys. */
    public HostInterfaceSetup() { this(List.of("ip"), "ethtool", Path.of("/proc/sys")); }

    /**
     * For images whose tools live elsewhere, for tests that work in a namespace ({@code ip -n NS}) and tests that
     * must see a missing tool. {@code procSys} must belong to the namespace the ports are in.
     */
    public HostInterfaceSetup(List<String> ipCommand, String ethtoolCommand, Path procSys) {
        this.ip = List.copyOf(ipCommand);
        this.ethtool = ethtoolCommand;
        this.procSys = procSys;
    }

    /** Failure of one configuration step; the message names the command (or file) and what it reported. */
    public static class HostSetupException extends IOException {
        public HostSetupException(String message) { super(message); }
        public HostSetupException(String message, Throwable cause) { super(message, cause); }
    }

    // ---- the TAP side: the appliance's own address -------------------------------------------------------

    /** An address on an interface: host address plus prefix length, "192.0.2.1/24" (host bits allowed). */
    public record InterfaceAddress(IpAddress address, int prefixLength) {
        public InterfaceAddress {
            if (prefixLength < 0 || prefixLength > address.bitLength())
                throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address);
        }

        public static InterfaceAddress parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) throw new IllegalArgumentException("'" + text + "' has no prefix length");
            try {
                return new InterfaceAddress(IpAddress.parse(text.substring(0, slash)),
                        Integer.parseInt(text.substring(slash + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
        }

        @Override public String toString() { return address + "/" + prefixLength; }
    }

    /** MAC ("02:00:00:00:00:01"), MTU, up, addresses, then a default route per gateway (either family). */
    public void configureOwnAddress(String tap, String mac, int mtu, List<InterfaceAddress> addresses,
                                    List<IpAddress> gateways) throws HostSetupException {
        setMac(tap, mac);
        setMtu(tap, mtu);
        up(tap);
        for (InterfaceAddress a : addresses) addAddress(tap, a);
        for (IpAddress gw : gateways) addDefaultRoute(tap, gw);
    }

    public void setMac(String ifName, String mac) throws HostSetupException {
        if (!MAC.matcher(mac).matches()) throw new IllegalArgumentException("bad MAC address '" + mac + "'");
        ip("link", "set", "dev", checkName(ifName), "address", mac);
    }

    public void setMtu(String ifName, int mtu) throws HostSetupException {
        if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("MTU " + mtu + " out of range");
        ip("link", "set", "dev", checkName(ifName), "mtu", Integer.toString(mtu));
    }

    public void up(String ifName) throws HostSetupException {
        ip("link", "set", "dev", checkName(ifName), "up");
    }

    /** Adds an address; IPv6 addresses skip duplicate address detection (nodad) so they are usable at once. */
    public void addAddress(String ifName, InterfaceAddress address) throws HostSetupException {
        String cidr = address.toString();
        if (address.address().family() == IpAddress.V6)
            ip("-6", "addr", "add", cidr, "dev", checkName(ifName), "nodad");
        else
            ip("-4", "addr", "add", cidr, "dev", checkName(ifName));
    }

    /** Sets (replaces) the default route of the gateway's family through {@code ifName}. */
    public void addDefaultRoute(String ifName, IpAddress gateway) throws HostSetupException {
        String family = gateway.family() == IpAddress.V6 ? "-6" : "-4";
        ip(family, "route", "replace", "default", "via", gateway.toString(), "dev", checkName(ifName));
    }

    // ---- the NIC ports: up, but invisible to the kernel stack --------------------------------------------

    /**
     * Brings NIC port {@code ifName} up bare: IPv6 disabled (no link-local address, no ND/MLD chatter), addresses
     * flushed, ARP off (else the kernel would answer ARP for the TAP's address on the wire with the NIC's MAC),
     * IPv4 forwarding off for it, then offloads off. Returns false if ethtool is absent (offloads left as they were).
     */
    public boolean preparePort(String ifName) throws HostSetupException {
        checkName(ifName);
        writeSysctl("net/ipv6/conf/" + ifName + "/disable_ipv6", "1");
        writeSysctl("net/ipv4/conf/" + ifName + "/forwarding", "0");
        ip("addr", "flush", "dev", ifName);
        ip("link", "set", "dev", ifName, "arp", "off");
        ip("link", "set", "dev", ifName, "up");
        return disableOffloads(ifName);
    }

    /**
     * Turns off the offloads that would hand the capture GRO/LRO super-frames or leave TX checksums incomplete.
     * Returns false, with a warning, if ethtool is not installed.
     */
    public boolean disableOffloads(String ifName) throws HostSetupException {
        try {
            run(ethtool, "-K", checkName(ifName), "gro", "off", "gso", "off", "tso", "off", "tx", "off", "lro", "off");
            return true;
        } catch (ToolMissing e) {
            Logger.warn("{} not found: offloads on {} left unchanged; captures may see GRO/TSO super-frames",
                    ethtool, ifName);
            return false;
        }
    }

    /** Writes /proc/sys/{@code key} directly, like {@code sysctl -w}, without depending on procps being installed
     *  (and without sysctl's dot/slash ambiguity for interface names such as eth0.100). */
    private void writeSysctl(String key, String value) throws HostSetupException {
        Path file = procSys.resolve(key);
        try {
            Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new HostSetupException("sysctl " + key.replace('/', '.') + "=" + value + " (" + file + ") failed: " + e, e);
        }
    }

    private void ip(String... args) throws HostSetupException {
        String[] command = new String[ip.size() + args.length];
        for (int i = 0; i < ip.size(); i++) command[i] = ip.get(i);
        System.arraycopy(args, 0, command, ip.size(), args.length);
        run(command);
    }

    private static String checkName(String ifName) {
        if (!IF_NAME.matcher(ifName).matches())
            throw new IllegalArgumentException("bad interface name '" + ifName + "'");
        return ifName;
    }

    private static final class ToolMissing extends HostSetupException {
        ToolMissing(String message, Throwable cause) { super(message, cause); }
    }

    /** Runs one command (no shell); package-visible so tests set up veth pairs with the same error reporting. */
    static void run(String... command) throws HostSetupException {
        String shown = String.join(" ", command);
        Path stderr;
        try {
            stderr = Files.createTempFile("bitw-setup", ".err");
        } catch (IOException e) {
            throw new HostSetupException("'" + shown + "': cannot create a file for its stderr: " + e, e);
        }
        try {
            Process p;
            try {
                // stderr goes to a file so that the timeout holds even if the command keeps the stream open.
                p = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(stderr.toFile())
                        .start();
            } catch (IOException e) {
                throw new ToolMissing("'" + shown + "' could not be started: " + e.getMessage(), e);
            }
            try {
                if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new HostSetupException("'" + shown + "' did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new HostSetupException("'" + shown + "' interrupted", e);
            }
            if (p.exitValue() != 0)
                throw new HostSetupException("'" + shown + "' failed (exit " + p.exitValue() + "): " + readQuietly(stderr));
        } finally {
            try { Files.deleteIfExists(stderr); } catch (IOException ignored) { /* a stray temp file is harmless */ }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
