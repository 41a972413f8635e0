// Turns the inner payloads of an exchange into protected datagrams and back: SK encryption (RFC 7296 §3.14),
// and SKF fragmentation and reassembly (RFC 7383) when a message would not fit the fragment size. Sits between
// IkeSa (which knows the keys and message IDs) and the codec; no state of its own except a reassembly buffer.
//
// Each fragment is sealed on its own, with its own prefix as associated data, so a forged fragment is dropped
// before it can take buffer space; reassembly is bounded in fragment count and bytes.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.IkeCryptoException;
import bitw.ipsec.ike.crypto.SkCipher;
import bitw.ipsec.ike.message.EncryptedFragmentPayload;
import bitw.ipsec.ike.message.EncryptedPayload;
import bitw.ipsec.ike.message.IkeHeader;
import bitw.ipsec.ike.message.IkeMessage;
import bitw.ipsec.ike.message.IkeMessageCodec;
import bitw.ipsec.ike.message.Payload;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

final class MessageProtection {
    static final int MAX_FRAGMENTS = 64, MAX_REASSEMBLED_BYTES = 64 * 1024;

    private MessageProtection() {}

    /** Encrypts inner into one SK message, or into SKF fragments when fragmentSize > 0 and the message is larger. */
    static List<byte[]> seal(IkeHeader header, List<Payload> inner, SkCipher cipher, int fragmentSize) {
        byte[] plain = IkeMessageCodec.encodeChain(inner);
        int first = IkeMessageCodec.firstType(inner);
        int whole = IkeHeader.LENGTH + 4 + cipher.bodyLength(plain.length);
        if (fragmentSize <= 0 || whole <= fragmentSize) {
            IkeMessage m = new IkeMessage(header, List.of(new EncryptedPayload(first, new byte[cipher.bodyLength(plain.length)])));
            return List.of(sealInPlace(m, cipher, plain));
        }
        // Room for plaintext in one fragment: header, SKF header (8), IV, ICV, and up to a block of padding.
        int room = fragmentSize - IkeHeader.LENGTH - 8 - cipher.ivLength() - cipher.icvLength() - 16;
        if (room < 16) room = 16;
        int total = (plain.length + room - 1) / room;
        List<byte[]> out = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            byte[] piece = Arrays.copyOfRange(plain, i * room, Math.min(plain.length, (i + 1) * room));
            IkeMessage m = new IkeMessage(header, List.of(new EncryptedFragmentPayload(i == 0 ? first : 0, i + 1, total, new byte[cipher.bodyLength(piece.length)])));
            out.add(sealInPlace(m, cipher, piece));
        }
        return out;
    }

    private static byte[] sealInPlace(IkeMessage m, SkCipher cipher, byte[] plain) {
        byte[] bytes = IkeMessageCodec.encode(m);
        int off = IkeMessageCodec.encryptedBodyOffset(m);
        byte[] body = cipher.seal(Arrays.copyOf(bytes, off), plain);
        System.arraycopy(body, 0, bytes, off, body.length);
        return bytes;
    }

    /** The decrypted plaintext of one SK or SKF message; raw is the datagram m was decoded from. */
    static byte[] open(IkeMessage m, byte[] raw, SkCipher cipher) throws IkeCryptoException {
        int off = IkeMessageCodec.encryptedBodyOffset(m);
        byte[] body = m.payloads().getLast() instanceof EncryptedPayload e ? e.body() : ((EncryptedFragmentPayload) m.payloads().getLast()).body();
        return cipher.open(Arrays.copyOf(raw, off), body);
    }

    /** Collects the fragments of one message (one message ID and direction at a time). */
    static final class Reassembly {
        long messageId = -1;
        int total, received, bytes, firstInner;
        byte[][] pieces;

        /** Adds one authenticated fragment; returns the whole plaintext when complete, else null. A fragment of a
         *  newer message replaces an incomplete older one; inconsistent or oversize input resets the buffer. */
        byte[] add(long id, EncryptedFragmentPayload f, byte[] plain) {
            if (id != messageId || f.totalFragments() != total) {
                if (id < messageId) return null;
                if (f.totalFragments() > MAX_FRAGMENTS) return null;
                messageId = id;
                total = f.totalFragments();
                pieces = new byte[total][];
                received = 0;
                bytes = 0;
            }
            int i = f.fragmentNumber() - 1;
            if (pieces[i] != null) return null;
            if (bytes + plain.length > MAX_REASSEMBLED_BYTES) { reset(); return null; }
            pieces[i] = plain;
            bytes += plain.length;
            received++;
            if (i == 0) firstInner = f.firstInnerPayload();
            if (received < total) return null;
            ByteArrayOutputStream all = new ByteArrayOutputStream(bytes);
            for (byte[] p : pieces) all.writeBytes(p);
            reset();
            return all.toByteArray();
        }

        void reset() { pieces = null; total = 0; received = 0; bytes = 0; }
    }
}
