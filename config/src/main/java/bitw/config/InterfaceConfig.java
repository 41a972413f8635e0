// 'interface inside|outside device <name> [mtu <n>]': which network device is which port of the bump in the wire.
package bitw.config;

public record InterfaceConfig(InterfaceRole role, String device, int mtu) implements Statement {
    public static final int DEFAULT_MTU = 1500, MIN_MTU = 576, MAX_MTU = 9216;

    public String key() { return "interface " + role.configName; }

    public String render() { return "interface " + role.configName + " device " + device + " mtu " + mtu; }
}
