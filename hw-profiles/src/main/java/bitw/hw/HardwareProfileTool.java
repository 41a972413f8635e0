// Command line over the hardware profiles, for the image build and the booted image:
//   check FILE...            validate profile files (exit 1 naming every problem with its line)
//   jvm-options FILE         print the JVM options derived from the memory budget (image build -> bitw.env)
//   resolve FILE SYSCLASSNET print "inside IFNAME" and "outside IFNAME" (diagnostics), or refuse
package bitw.hw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

public final class HardwareProfileTool {
    private HardwareProfileTool() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length < 2) return usage();
        try {
            switch (args[0]) {
                case "check" -> {
                    for (int i = 1; i < args.length; i++) {
                        HardwareProfile p = read(args[i]);
                        System.out.println(args[i] + ": ok (" + p.name() + ", " + p.architecture().debianName()
                                + ", heap " + p.heapMib() + " MiB, first boot " + p.firstBootPolicy().profileName() + ")");
                    }
                }
                case "jvm-options" -> System.out.println(String.join(" ", read(args[1]).jvmOptions()));
                case "resolve" -> {
                    if (args.length != 3) return usage();
                    ResolvedPorts r = read(args[1]).resolveNics(Path.of(args[2]));
                    System.out.println("inside " + r.inside());
                    System.out.println("outside " + r.outside());
                }
                default -> { return usage(); }
            }
            return 0;
        } catch (InvalidProfileException | PortResolutionException | IOException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private static HardwareProfile read(String file) throws IOException, InvalidProfileException {
        return HardwareProfiles.parse(file, Files.readString(Path.of(file)));
    }

    private static int usage() {
        System.err.println("usage: HardwareProfileTool check FILE... | jvm-options FILE | resolve FILE SYSCLASSNET");
        return 2;
    }
}
