// The kernel interface names a profile's inside and outside NIC selectors resolved to on this board
// (HardwareProfile.resolveNics); PortNaming renames them to "inside" and "outside".
package bitw.hw;

public record ResolvedPorts(String inside, String outside) {}
