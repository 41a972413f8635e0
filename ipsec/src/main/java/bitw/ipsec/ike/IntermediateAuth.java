package bitw.ipsec.ike;
import bitw.ipsec.ike.message.IkeHeader;
import bitw.ipsec.ike.message.Payload;
import java.util.List;
final class IntermediateAuth {
    static void record(IkeSa sa, IkeHeader h, List<Payload> inner, boolean request) {}
    static byte[] value(IkeSa sa) { return null; }
}
