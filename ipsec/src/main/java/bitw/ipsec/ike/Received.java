// One incoming IKE message as the tasks see it: the header and all payloads (the decrypted inner ones in place of
// SK) and the datagram it came in (raw bytes for AUTH's signed octets, addresses for NAT detection).
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.IkeHeader;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

record Received(IkeHeader header, List<Payload> payloads, Datagram datagram) {
    <T extends Payload> Optional<T> first(Class<T> kind) {
        for (Payload p : payloads) if (kind.isInstance(p)) return Optional.of(kind.cast(p));
        return Optional.empty();
    }

    <T extends Payload> List<T> all(Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (Payload p : payloads) if (kind.isInstance(p)) out.add(kind.cast(p));
        return out;
    }

    Optional<NotifyPayload> notify(int type) {
        for (Payload p : payloads) if (p instanceof NotifyPayload n && n.notifyType() == type) return Optional.of(n);
        return Optional.empty();
    }

    /** The first error notify (type below 16384), if any. */
    Optional<NotifyPayload> error() {
        for (Payload p : payloads) if (p instanceof NotifyPayload n && n.isError()) return Optional.of(n);
        return Optional.empty();
    }
}
