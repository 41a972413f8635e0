// IKE_AUTH's authentication concern (RFC 7296 §2.15, §2.16 without EAP, §3.5-§3.8): identities, AUTH with a PSK or
// a signature (RFC 7427 / legacy), certificates or raw public keys, CERTREQ, and INITIAL_CONTACT (§2.4). The
// responder also chooses the final connection here, by the identities the initiator presents.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.CertificateValidator;
import bitw.ipsec.ike.crypto.IkeAuthentication;
import bitw.ipsec.ike.crypto.IkeCryptoException;
import bitw.ipsec.ike.crypto.SignatureScheme;
import bitw.ipsec.ike.message.AuthPayload;
import bitw.ipsec.ike.message.CertPayload;
import bitw.ipsec.ike.message.CertReqPayload;
import bitw.ipsec.ike.message.IdPayload;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

final class AuthTask extends IkeTask {
    /** Every scheme IkeAuthentication implements; which one the peer uses is its choice. */
    private static final Set<SignatureScheme> ACCEPTED = EnumSet.allOf(SignatureScheme.class);

    private IdPayload ourId;
    private AuthPayload ourAuth;

    AuthTask(IkeSa sa) { super(sa); }

    // ------------------------------------------------------------------------------------------ initiator

    @Override void buildRequest(List<Payload> out) throws ExchangeFailure {
        IdPayload id = sa.conn.localId().toPayload(true);
        out.add(id);
        addCertificates(out);
        if (!sa.engine.hasOtherIkeSa(sa)) out.add(new NotifyPayload(NotifyPayload.INITIAL_CONTACT, new byte[0]));
        CertReqPayload req = certificateRequest(sa.conn);
        if (req != null) out.add(req);
        if (sa.conn.remoteId() != null) out.add(sa.conn.remoteId().toPayload(false));
        out.add(auth(sa.initRequest, sa.nr, sa.keys.skPi(), id, IntermediateAuth.value(sa)));
    }

    @Override Result processResponse(Received in) throws ExchangeFailure {
        IdPayload idr = in.all(IdPayload.class).stream().filter(p -> !p.initiator()).findFirst().orElse(null);
        AuthPayload auth = in.first(AuthPayload.class).orElse(null);
        if (idr == null || auth == null) {
            var e = in.error();
            throw InitTask.peerError(e.isPresent() ? e.get().notifyType() : NotifyPayload.INVALID_SYNTAX, "IKE_AUTH");
        }
        if (sa.conn.remoteId() != null && !sa.conn.remoteId().matches(idr))
            throw ExchangeFailure.fatal(IkeEvent.Failure.AUTHENTICATION_FAILED, 0, "peer identifies as " + Identity.fromPayload(idr) + ", expected " + sa.conn.remoteId());
        verify(sa.conn, idr, auth, in.all(CertPayload.class), sa.initResponse, sa.ni, sa.keys.skPr());
        established(idr, in);
        return Result.DONE;
    }

    // ------------------------------------------------------------------------------------------ responder

    @Override void processRequest(Received in) throws ExchangeFailure {
        IdPayload idi = in.all(IdPayload.class).stream().filter(IdPayload::initiator).findFirst().orElse(null);
        AuthPayload auth = in.first(AuthPayload.class).orElse(null);
        if (idi == null || auth == null)
            throw ExchangeFailure.fatal(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "IKE_AUTH request without IDi or AUTH");
        IdPayload idr = in.all(IdPayload.class).stream().filter(p -> !p.initiator()).findFirst().orElse(null);
        IkeConnection c = chooseConnection(idi, idr);
        if (c == null)
            throw ExchangeFailure.fatal(IkeEvent.Failure.AUTHENTICATION_FAILED, NotifyPayload.AUTHENTICATION_FAILED,
                    "no connection accepts identity " + Identity.fromPayload(idi));
        if (sa.engine.isOpportunisticTemplate(c)) c = opportunistic(c, idi, idr, in);
        sa.switchConnection(c);
        verify(c, idi, auth, in.all(CertPayload.class), sa.initRequest, sa.nr, sa.keys.skPi());
        ourId = c.localId().toPayload(false);
        ourAuth = auth(sa.initResponse, sa.ni, sa.keys.skPr(), ourId, IntermediateAuth.value(sa));
        established(idi, in);
    }

    @Override void buildResponse(List<Payload> out) {
        out.add(ourId);
        addCertificates(out);
        out.add(ourAuth);
    }

    private IkeConnection chooseConnection(IdPayload idi, IdPayload idr) {
        List<IkeConnection> options = new ArrayList<>();
        options.add(sa.conn);
        for (IkeConnection c : sa.engine.connectionsFor(sa.local.address(), sa.remote.address())) if (c != sa.conn) options.add(c);
        IkeConnection template = null;
        for (IkeConnection c : options) {
            if (sa.engine.isOpportunisticTemplate(c)) { template = c; continue; }   // configured connections first
            if (sa.engine.isOpportunisticInitiator(c)) continue;   // OE's own initiators: the template answers peers
            if (c.remoteId() != null && !c.remoteId().matches(idi)) continue;
            if (idr != null && !c.localId().matches(idr)) continue;
            return c;
        }
        if (template == null) return null;
        // The OE shell may answer to more identities than the template's (its address and an FQDN, say).
        return idr == null || template.localId().matches(idr) || ownedByResponder(idr) ? template : null;
    }

    private boolean ownedByResponder(IdPayload idr) {
        Identity id = Identity.fromPayload(idr);
        try {
            return id != null && sa.engine.opportunisticResponder().ownsIdentity(id);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The initiator is an OE peer: the shell decides (from DNS) which connection, if any, it gets. */
    private IkeConnection opportunistic(IkeConnection template, IdPayload idi, IdPayload idr, Received in) throws ExchangeFailure {
        Identity peer = Identity.fromPayload(idi);
        if (peer == null)
            throw ExchangeFailure.fatal(IkeEvent.Failure.AUTHENTICATION_FAILED, NotifyPayload.AUTHENTICATION_FAILED, "OE peer with unknown ID type " + idi.idType());
        var tsi = in.first(bitw.ipsec.ike.message.TsPayload.class).filter(bitw.ipsec.ike.message.TsPayload::initiator)
                .map(bitw.ipsec.ike.message.TsPayload::selectors).orElse(List.of());
        var tsr = in.all(bitw.ipsec.ike.message.TsPayload.class).stream().filter(t -> !t.initiator()).findFirst()
                .map(bitw.ipsec.ike.message.TsPayload::selectors).orElse(List.of());
        OpportunisticResponder.Answer a;
        try {
            a = sa.engine.opportunisticResponder().respond(template, peer, idr == null ? null : Identity.fromPayload(idr), sa.remote, tsi, tsr);
        } catch (RuntimeException e) {
            a = new OpportunisticResponder.Answer.Refuse("OE responder failed: " + e);
        }
        return switch (a) {
            case OpportunisticResponder.Answer.Accept acc -> acc.connection();
            case OpportunisticResponder.Answer.Pending p -> throw ExchangeFailure.deferred("OE: keys of " + peer + " being looked up", p.key());
            case OpportunisticResponder.Answer.Refuse r -> throw ExchangeFailure.fatal(IkeEvent.Failure.AUTHENTICATION_FAILED,
                    NotifyPayload.AUTHENTICATION_FAILED, "OE peer " + peer + " refused: " + r.reason());
        };
    }

    private void established(IdPayload peerId, Received in) {
        sa.remoteIdentity = Identity.fromPayload(peerId);
        sa.state = IkeSa.State.ESTABLISHED;
        sa.engine.scheduleIkeLifetime(sa);
        if (in.notify(NotifyPayload.INITIAL_CONTACT).isPresent()) sa.engine.initialContact(sa);
        sa.engine.event(new IkeEvent.IkeSaEstablished(sa.conn.name(), sa.describe() + ", peer " + sa.remoteIdentity));
        sa.engine.resolveDuplicates(sa);
    }

    // ------------------------------------------------------------------------------------------ AUTH values

    private AuthPayload auth(byte[] ourInitMessage, byte[] peerNonce, byte[] skP, IdPayload id, byte[] intAuth) throws ExchangeFailure {
        byte[] octets = IkeAuthentication.signedOctets(ourInitMessage, peerNonce, sa.algorithms.prf(), skP, id.body());
        if (intAuth != null) octets = concat(octets, intAuth);
        return switch (sa.conn.localAuth()) {
            case Authentication.Psk p -> new AuthPayload(IkeAuthentication.AUTH_PSK, IkeAuthentication.pskAuth(sa.algorithms.prf(), p.secret(), octets));
            case Authentication.Signature s -> {
                try {
                    yield new AuthPayload(s.scheme().authMethod, IkeAuthentication.sign(s.key(), s.scheme(), octets));
                } catch (IkeCryptoException e) {
                    throw ExchangeFailure.fatal(IkeEvent.Failure.INTERNAL, 0, "our key cannot sign with " + s.scheme() + ": " + e.getMessage());
                }
            }
        };
    }

    private void verify(IkeConnection c, IdPayload peerId, AuthPayload auth, List<CertPayload> certs, byte[] peerInitMessage,
                        byte[] ourNonce, byte[] skP) throws ExchangeFailure {
        byte[] octets = IkeAuthentication.signedOctets(peerInitMessage, ourNonce, sa.algorithms.prf(), skP, peerId.body());
        byte[] intAuth = IntermediateAuth.value(sa);
        if (intAuth != null) octets = concat(octets, intAuth);
        String why;
        try {
            why = switch (c.peerAuth()) {
                case PeerVerification.Psk p -> auth.method() != IkeAuthentication.AUTH_PSK ? "peer used auth method " + auth.method() + ", we expect a PSK"
                        : MessageDigest.isEqual(IkeAuthentication.pskAuth(sa.algorithms.prf(), p.secret(), octets), auth.data()) ? null
                        : "PSK AUTH does not verify (wrong pre-shared key?)";
                case PeerVerification.Certificates t -> {
                    List<X509Certificate> chain = new ArrayList<>();
                    for (CertPayload cp : certs) if (cp.encoding() == CertPayload.X509_SIGNATURE) chain.add(CertificateValidator.parseCertificate(cp.data()));
                    PublicKey key = new CertificateValidator(t.trustAnchors()).validate(chain, peerId.idType(), peerId.data(), Instant.now());
                    yield IkeAuthentication.verify(key, auth.method(), auth.data(), octets, ACCEPTED) ? null : "signature does not verify";
                }
                case PeerVerification.RawKeys r -> {
                    List<PublicKey> keys = new ArrayList<>(r.acceptable());
                    for (CertPayload cp : certs) {
                        if (cp.encoding() != CertPayload.RAW_PUBLIC_KEY) continue;
                        PublicKey sent = CertificateValidator.parseRawPublicKey(cp.data());
                        keys.removeIf(k -> !Arrays.equals(k.getEncoded(), sent.getEncoded()));
                    }
                    String result = "no acceptable raw public key verifies the signature";
                    for (PublicKey k : keys) {
                        try {
                            if (IkeAuthentication.verify(k, auth.method(), auth.data(), octets, ACCEPTED)) { result = null; break; }
                        } catch (IkeCryptoException e) {
                            if (e.reason() != IkeCryptoException.Reason.AUTH_SCHEME_REFUSED) throw e;   // other key types just don't fit
                        }
                    }
                    yield result;
                }
            };
        } catch (IkeCryptoException e) {
            why = e.getMessage();
        }
        if (why != null)
            throw ExchangeFailure.fatal(IkeEvent.Failure.AUTHENTICATION_FAILED, NotifyPayload.AUTHENTICATION_FAILED,
                    "authentication of " + Identity.fromPayload(peerId) + " failed: " + why);
    }

    private void addCertificates(List<Payload> out) {
        if (!(sa.conn.localAuth() instanceof Authentication.Signature s)) return;
        try {
            for (X509Certificate cert : s.chain()) out.add(new CertPayload(CertPayload.X509_SIGNATURE, cert.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("configured certificate cannot be encoded", e);
        }
    }

    /** CERTREQ with the SHA-1 hashes of our trust anchors' public keys (§3.7), so peers that send certificates
     *  only when asked (strongSwan's default) send theirs. Null when we do not verify with certificates. */
    static CertReqPayload certificateRequest(IkeConnection c) {
        if (!(c.peerAuth() instanceof PeerVerification.Certificates t)) return null;
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (X509Certificate a : t.trustAnchors()) hashes.writeBytes(sha1.digest(subjectPublicKeyInfo(a)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new CertReqPayload(CertPayload.X509_SIGNATURE, hashes.toByteArray());
    }

    private static byte[] subjectPublicKeyInfo(X509Certificate c) { return c.getPublicKey().getEncoded(); }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }
}
