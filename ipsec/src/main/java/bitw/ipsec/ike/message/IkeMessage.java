// A whole IKE message: header plus payload chain in wire order. Immutable; IkeMessageCodec converts to and from
// datagrams. When the last payload is SK or SKF its body is still encrypted.
package bitw.ipsec.ike.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public record IkeMessage(IkeHeader header, List<Payload> payloads) {
    public IkeMessage { payloads = List.copyOf(payloads); }

    public <T extends Payload> Optional<T> first(Class<T> kind) {
        for (Payload p : payloads) if (kind.isInstance(p)) return Optional.of(kind.cast(p));
        return Optional.empty();
    }

    public <T extends Payload> List<T> all(Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (Payload p : payloads) if (kind.isInstance(p)) out.add(kind.cast(p));
        return out;
    }

    /** The notify of this type, if present. */
    public Optional<NotifyPayload> notify(int notifyType) {
        for (Payload p : payloads) if (p instanceof NotifyPayload n && n.notifyType() == notifyType) return Optional.of(n);
        return Optional.empty();
    }

    /** True when the last payload is SK or SKF. */
    public boolean isEncrypted() {
        return !payloads.isEmpty() && (payloads.getLast() instanceof EncryptedPayload || payloads.getLast() instanceof EncryptedFragmentPayload);
    }
}
