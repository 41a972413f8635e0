// Specification of a logical interface's counters (OE's): every member SA's packets, bytes and drops count in the
// group by direction, the counts stay when a member goes, and clear() resets the view without touching the SAs.
package bitw.ipsec.sad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import bitw.ipsec.DropReason;
import org.junit.jupiter.api.Test;

class SaGroupCountersTest {

    @Test
    void membersCountTrafficByDirectionAndDropsByReason() {
        SaGroupCounters oe = new SaGroupCounters("opportunistic");
        SecurityAssociation in1 = TestSas.inbound(0x1001).countIn(oe), in2 = TestSas.inbound(0x1002).countIn(oe);
        SecurityAssociation out1 = TestSas.outbound("%oe-a-b", 0x2001).countIn(oe);
        SecurityAssociation other = TestSas.inbound(0x3001);   // a configured tunnel's SA: not a member
        assertSame(oe, in1.group());
        assertNull(other.group());
        in1.account(100);
        in2.account(50);
        out1.account(70);
        out1.account(30);
        other.account(1000);
        in1.countDrop(DropReason.SELECTOR_MISMATCH);
        in2.countDrop(DropReason.SELECTOR_MISMATCH);
        in2.countDrop(DropReason.REPLAY);
        other.countDrop(DropReason.ICV_FAILED);
        assertEquals(2, oe.inPackets());
        assertEquals(150, oe.inBytes());
        assertEquals(2, oe.outPackets());
        assertEquals(100, oe.outBytes());
        assertEquals(2, oe.drops(DropReason.SELECTOR_MISMATCH));
        assertEquals(1, oe.drops(DropReason.REPLAY));
        assertEquals(0, oe.drops(DropReason.ICV_FAILED), "other SAs' drops are not the group's");
        assertEquals(3, oe.dropTotal());
        assertEquals(1, in1.packets(), "the SA still counts for itself");
    }

    @Test
    void countsOutliveTheMembersAndClearResetsOnlyTheView() {
        SaGroupCounters oe = new SaGroupCounters("opportunistic");
        SecurityAssociationDatabase sad = new SecurityAssociationDatabase(new SaEventListener() {
            @Override public void softExpired(SecurityAssociation sa) {}
            @Override public void hardExpired(SecurityAssociation sa) {}
        });
        SecurityAssociation in = TestSas.inbound(0x1001).countIn(oe);
        sad.install(in);
        in.account(10);
        in.countDrop(DropReason.SELECTOR_MISMATCH);
        sad.remove(in);   // the tunnel goes
        assertEquals(1, oe.inPackets());
        assertEquals(1, oe.drops(DropReason.SELECTOR_MISMATCH));
        oe.clear();
        assertEquals(0, oe.inPackets());
        assertEquals(0, oe.inBytes());
        assertEquals(0, oe.dropTotal());
        SecurityAssociation next = TestSas.inbound(0x1002).countIn(oe);
        next.account(5);
        next.countDrop(DropReason.SELECTOR_MISMATCH);
        assertEquals(1, oe.inPackets());
        assertEquals(5, oe.inBytes());
        assertEquals(1, oe.drops(DropReason.SELECTOR_MISMATCH));
        assertEquals(1, in.packets(), "the SA's own counters are not the group's to clear");
    }
}
