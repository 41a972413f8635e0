// Run by Arm64RuntimeTest on the arm64 runtime inside a Debian 12 arm64 root (qemu-user): loads libpcap the way the
// appliance does (Pcap4J over JNA), lists the shared objects mapped into this JVM, and starts each given command as a
// child process (ProcessBuilder, as the appliance starts ip and rauc), printing what it sees, one fact per line:
//   pcap <libpcap version>      map <path of a mapped .so>      child <command>: <output line>
// Pcap4J is reached by reflection: this class is compiled with the image-build tests, which do not depend on it.
package bitw.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

public final class Arm64Probe {
    private Arm64Probe() {}

    public static void main(String[] args) throws Exception {
        Object version = Class.forName("org.pcap4j.core.Pcaps").getMethod("libVersion").invoke(null);
        System.out.println("pcap " + version);
        for (String so : mappedObjects()) System.out.println("map " + so);
        for (String cmd : args) {
            Process p = new ProcessBuilder(Arrays.asList(cmd.split(" "))).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            for (String line : out.split("\n")) System.out.println("child " + cmd + ": " + line);
            System.out.println("child " + cmd + ": exit " + exit);
        }
    }

    private static TreeSet<String> mappedObjects() throws IOException {
        TreeSet<String> paths = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.contains(".so")) paths.add(line.substring(slash));
        }
        return paths;
    }
}
