// Regression: a lookup that misses in a hash group holding a single address pair must end (it once probed forever).
package bitw.ipsec.spd;

import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityPolicyDatabaseMissTest {
    @Test
    void missInASingleKeyGroupReturnsNullPromptly() {
        Selector s = new Selector(IpPrefix.parse("10.1.0.0/24"), IpPrefix.parse("10.2.0.0/24"), -1, PortRange.ANY, PortRange.ANY, -1, -1);
        SecurityPolicyDatabase spd = new SecurityPolicyDatabase(List.of(new PolicyEntry("only", s, PolicyAction.PERMIT, null, null)));
        long src = IpAddress.parse("10.1.0.10").lo(), dst = IpAddress.parse("10.9.0.9").lo();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertNull(spd.lookup(4, 0, src, 0, dst, 17, 1, 2)));
        assertSame(spd.entries().get(0), spd.lookup(4, 0, src, 0, IpAddress.parse("10.2.0.1").lo(), 17, 1, 2));
    }
}
