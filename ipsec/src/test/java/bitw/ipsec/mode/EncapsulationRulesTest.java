// Specification of how outer header fields derive from the inner packet, one test per RFC rule.
package bitw.ipsec.mode;

import static bitw.ipsec.mode.EncapsulationRules.*;
import static org.junit.jupiter.api.Assertions.*;

import bitw.ipsec.packet.FlowKey;
import bitw.ipsec.packet.IpAddress;
import org.junit.jupiter.api.Test;

class EncapsulationRulesTest {
    private static FlowKey inner(int family, boolean df, int ttl) {
        FlowKey k = new FlowKey();
        k.family = family;
        k.dontFragment = family == IpAddress.V6 || df;
        k.ttl = ttl;
        return k;
    }

    @Test
    void tunnelCopiesDscpToOuterHeader_rfc4301_5_1_2() {
        assertEquals(0xb8, TUNNEL.outerTos(0xb8));  // EF
        assertEquals(0x28, TUNNEL.outerTos(0x28));  // AF11
    }

    @Test
    void tunnelCopiesEcnIncludingCe_rfc6040NormalMode() {
        assertEquals(NOT_ECT, TUNNEL.outerTos(NOT_ECT));
        assertEquals(ECT_0, TUNNEL.outerTos(ECT_0));
        assertEquals(ECT_1, TUNNEL.outerTos(ECT_1));
        // RFC 3168 full functionality reset CE to ECT(0) on the outer header; RFC 6040 copies CE as it is.
        assertEquals(0xb8 | CE, TUNNEL.outerTos(0xb8 | CE));
    }

    @Test
    void iiptranCopiesTheWholeTosByte_rfc2003_3_1() {
        for (int tos = 0; tos < 256; tos++) assertEquals(tos, IIPTRAN.outerTos(tos));
    }

    @Test
    void outerTtlIsAFreshDefaultNotTheInnerTtl_rfc4301AndRfc2003() {
        for (EncapsulationRules r : values()) {
            assertEquals(64, r.outerTtl(inner(IpAddress.V4, false, 1)));
            assertEquals(64, r.outerTtl(inner(IpAddress.V6, true, 255)));
        }
    }

    @Test
    void tunnelCopiesDfFromInnerIpv4_rfc4301_5_1_2() {
        assertTrue(TUNNEL.outerDf(inner(IpAddress.V4, true, 64)));
        assertFalse(TUNNEL.outerDf(inner(IpAddress.V4, false, 64)));
    }

    @Test
    void tunnelSetsDfForInnerIpv6() {
        FlowKey k = inner(IpAddress.V6, true, 64);
        k.dontFragment = false;  // even if a caller forgot that IPv6 never fragments on path
        assertTrue(TUNNEL.outerDf(k));
    }

    @Test
    void iiptranNeverClearsDfThatTheInnerPacketSets_rfc3884AppendixAndRfc2003() {
        assertTrue(IIPTRAN.outerDf(inner(IpAddress.V4, true, 64)));
    }

    @Test
    void iiptranCopiesClearDfSoTheTunnelMayFragment_rfc2003_3_1() {
        assertFalse(IIPTRAN.outerDf(inner(IpAddress.V4, false, 64)));
    }

    @Test
    void iiptranSetsDfForInnerIpv6() {
        assertTrue(IIPTRAN.outerDf(inner(IpAddress.V6, true, 64)));
    }

    @Test
    void bothModesBuildTheSameOuterHeaderFields_rfc3884IdenticalOnTheWire() {
        for (int family : new int[] {IpAddress.V4, IpAddress.V6})
            for (boolean df : new boolean[] {false, true})
                for (int tos = 0; tos < 256; tos++) {
                    FlowKey k = inner(family, df, 1 + tos % 255);
                    assertEquals(TUNNEL.outerTos(tos), IIPTRAN.outerTos(tos));
                    assertEquals(TUNNEL.outerDf(k), IIPTRAN.outerDf(k));
                    assertEquals(TUNNEL.outerTtl(k), IIPTRAN.outerTtl(k));
                }
    }

    @Test
    void decapsulationFollowsTheRfc6040Table() {
        // rows: inner Not-ECT, ECT(0), ECT(1), CE; columns: outer Not-ECT, ECT(0), ECT(1), CE; -1 = drop
        int[] codes = {NOT_ECT, ECT_0, ECT_1, CE};
        int[][] expected = {
                {NOT_ECT, NOT_ECT, NOT_ECT, -1},
                {ECT_0, ECT_0, ECT_1, CE},
                {ECT_1, ECT_1, ECT_1, CE},
                {CE, CE, CE, CE}};
        for (EncapsulationRules r : values())
            for (int i = 0; i < 4; i++)
                for (int o = 0; o < 4; o++)
                    assertEquals(expected[i][o], r.innerTosAfterDecapsulation(codes[o], codes[i]), r + " inner " + i + " outer " + o);
    }

    @Test
    void decapsulationPropagatesOuterCeToEctInner_rfc6040() {
        assertEquals(0x28 | CE, TUNNEL.innerTosAfterDecapsulation(CE, 0x28 | ECT_0));
        assertEquals(0x28 | CE, IIPTRAN.innerTosAfterDecapsulation(CE, 0x28 | ECT_1));
    }

    @Test
    void decapsulationDropsOuterCeOverNotEctInner_rfc6040() {
        assertEquals(-1, TUNNEL.innerTosAfterDecapsulation(0xb8 | CE, 0x28));
        assertEquals(-1, IIPTRAN.innerTosAfterDecapsulation(CE, 0));
    }

    @Test
    void decapsulationKeepsTheInnerDscp_rfc4301() {
        assertEquals(0x28 | ECT_0, TUNNEL.innerTosAfterDecapsulation(0xb8 | ECT_0, 0x28 | ECT_0));
        assertEquals(0x28, IIPTRAN.innerTosAfterDecapsulation(0xfc, 0x28));
    }
}
