// Creating a Child SA pair (RFC 7296 §1.3.1, §2.9, §2.17): ESP proposals, traffic selectors (narrowed by the
// responder to its configured nets), optional PFS key exchange, USE_TRANSPORT_MODE for IIPtran, keys, and the
// SaParameters installed through IkeOutput. Runs inside IKE_AUTH (first Child SA, keys from the IKE nonces) or as
// its own CREATE_CHILD_SA; ChildRekeyTask extends it with REKEY_SA.
//
// IIPtran negotiates transport mode between the two gateways for IP protocols 4 (IPv4-in-IP) and 41 (IPv6-in-IP):
// the inner addresses are not negotiated at all. They are enforced locally: the SaParameters carry the configured
// localNets/remoteNets as selectors, which the data path checks on the inner header after decapsulation, and the
// SPD only sends traffic between those nets to the SA.
package bitw.ipsec.ike;

import bitw.ipsec.ike.crypto.ChildSaKeys;
import bitw.ipsec.ike.crypto.IkeCryptoException;
import bitw.ipsec.ike.crypto.IkeKeyDerivation;
import bitw.ipsec.ike.crypto.KeyExchange;
import bitw.ipsec.ike.crypto.KeyExchangeMethod;
import bitw.ipsec.ike.message.KePayload;
import bitw.ipsec.ike.message.NoncePayload;
import bitw.ipsec.ike.message.NotifyPayload;
import bitw.ipsec.ike.message.Payload;
import bitw.ipsec.ike.message.SaPayload;
import bitw.ipsec.ike.message.TrafficSelector;
import bitw.ipsec.ike.message.TsPayload;
import bitw.ipsec.packet.Bytes;
import bitw.ipsec.packet.IpAddress;
import bitw.ipsec.packet.IpPrefix;
import bitw.ipsec.sad.SaMode;
import bitw.ipsec.sad.SaParameters;
import bitw.ipsec.sad.SaProtocol;
import java.util.ArrayList;
import java.util.List;

class ChildCreateTask extends IkeTask {
    static final int IPPROTO_IPIP = 4, IPPROTO_IPV6 = 41;

    final boolean inIkeAuth;
    KeyExchangeMethod pfsGroup;
    int inboundSpi;
    byte[] ni, nr;
    private KeyExchange ke;
    private byte[] ourKePublic, secret;
    private List<TrafficSelector> offeredLocal, offeredRemote, chosenI, chosenR;
    private TrafficSelector triggerSrc, triggerDst;
    private Proposals.Chosen<Proposals.EspAlgorithms> chosen;
    /** Responder inside IKE_AUTH: the Child SA failed but the IKE SA goes on; this notify replaces the child payloads. */
    private ExchangeFailure childError;
    ChildSa created;

    ChildCreateTask(IkeSa sa, boolean inIkeAuth) {
        super(sa);
        this.inIkeAuth = inIkeAuth;
    }

    // ------------------------------------------------------------------------------------------ initiator

    @Override void buildRequest(List<Payload> out) throws ExchangeFailure {
        IkeConnection c = sa.conn;
        if (inboundSpi == 0) inboundSpi = sa.engine.allocateSpi();
        if (!inIkeAuth) {
            ni = sa.engine.nonce();
            if (pfsGroup == null && !c.espProposals().get(0).pfs().isEmpty()) pfsGroup = c.espProposals().get(0).pfs().get(0);
            if (pfsGroup != null) ke = pfsGroup.newKeyExchange();
        }
        if (c.mode() == SaMode.IIPTRAN) out.add(new NotifyPayload(NotifyPayload.USE_TRANSPORT_MODE, new byte[0]));
        out.add(Proposals.espOffer(c.espProposals(), spiBytes(inboundSpi), !inIkeAuth, pfsGroup));
        if (!inIkeAuth) {
            out.add(new NoncePayload(ni));
            if (ke != null) out.add(new KePayload(pfsGroup.ikev2Id, ke.initiatorPublic()));
        }
        offeredLocal = withTrigger(localSelectors(), triggerSrc);
        offeredRemote = withTrigger(remoteSelectors(), triggerDst);
        out.add(new TsPayload(true, offeredLocal));
        out.add(new TsPayload(false, offeredRemote));
    }

    @Override Result processResponse(Received in) throws ExchangeFailure {
        if (sa.state != IkeSa.State.ESTABLISHED && sa.state != IkeSa.State.REKEYED) { abort(); return Result.DONE; }
        SaPayload saP = in.first(SaPayload.class).orElse(null);
        var error = in.error();
        if (saP == null || error.isPresent()) {
            abort();
            int type = error.isPresent() ? error.get().notifyType() : NotifyPayload.INVALID_SYNTAX;
            if (type == NotifyPayload.INVALID_KE_PAYLOAD && !inIkeAuth) {
                KeyExchangeMethod wanted = KeyExchangeMethod.byId(error.get().invalidKeGroup());
                if (wanted != null && wanted != pfsGroup && offersPfs(wanted)) {
                    sa.engine.event(new IkeEvent.Failed(sa.conn.name(), IkeEvent.Failure.INVALID_KE_PAYLOAD, "peer asked for PFS group " + wanted + "; retrying"));
                    sa.queue(retryWith(wanted), sa.engine.now);
                    return Result.DONE;
                }
            }
            throw childFailure(type);
        }
        chosen = Proposals.acceptEsp(sa.conn.espProposals(), saP, !inIkeAuth);
        if (chosen == null) { abort(); throw ExchangeFailure.of(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, 0, "peer chose an ESP proposal we did not offer"); }
        if (!inIkeAuth) {
            nr = in.first(NoncePayload.class).map(NoncePayload::nonce).orElse(null);
            if (nr == null || nr.length < 16 || nr.length > 256) { abort(); throw ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, 0, "CREATE_CHILD_SA response without a valid nonce"); }
            if (chosen.algorithms().pfs() != pfsGroup) { abort(); throw ExchangeFailure.of(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, 0, "peer chose PFS " + chosen.algorithms().pfs() + ", we sent " + pfsGroup); }
            if (pfsGroup != null) {
                KePayload k = in.first(KePayload.class).orElse(null);
                try {
                    if (k == null || k.group() != pfsGroup.ikev2Id) throw new IkeCryptoException(IkeCryptoException.Reason.KE_WRONG_LENGTH, "no KE of group " + pfsGroup);
                    secret = ke.complete(k.data());
                } catch (IkeCryptoException e) {
                    abort();
                    throw ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, 0, "peer's PFS KE: " + e.getMessage());
                }
            }
        } else {
            ni = sa.ni;
            nr = sa.nr;
        }
        List<TrafficSelector> tsi = in.first(TsPayload.class).filter(TsPayload::initiator).map(TsPayload::selectors).orElse(List.of());
        List<TrafficSelector> tsr = in.all(TsPayload.class).stream().filter(t -> !t.initiator()).findFirst().map(TsPayload::selectors).orElse(List.of());
        if (tsi.isEmpty() || tsr.isEmpty() || !TrafficSelector.covers(offeredLocal, tsi) || !TrafficSelector.covers(offeredRemote, tsr)) {
            abort();
            throw ExchangeFailure.of(IkeEvent.Failure.TS_UNACCEPTABLE, 0, "peer's traffic selectors " + tsi + " === " + tsr + " are not within what we proposed");
        }
        boolean transport = in.notify(NotifyPayload.USE_TRANSPORT_MODE).isPresent();
        if (transport != (sa.conn.mode() == SaMode.IIPTRAN)) {
            abort();
            throw ExchangeFailure.of(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, 0, "peer answered in " + (transport ? "transport" : "tunnel") + " mode, we want " + sa.conn.mode());
        }
        created = install(true, chosen.algorithms(), chosen.peerSpi(), tsi, tsr);
        return Result.DONE;
    }

    private boolean offersPfs(KeyExchangeMethod m) {
        for (EspProposalSpec s : sa.conn.espProposals()) if (s.pfs().contains(m)) return true;
        return false;
    }

    /** The same request again with another PFS group (after INVALID_KE_PAYLOAD). */
    Exchange retryWith(KeyExchangeMethod group) {
        ChildCreateTask t = new ChildCreateTask(sa, false);
        t.pfsGroup = group;
        return new Exchange(bitw.ipsec.ike.message.ExchangeType.CREATE_CHILD_SA, t);
    }

    // ------------------------------------------------------------------------------------------ responder

    @Override void processRequest(Received in) throws ExchangeFailure {
        if (inIkeAuth) {
            if (sa.state != IkeSa.State.ESTABLISHED) return;   // authentication failed: no child
            try {
                respond(in);
            } catch (ExchangeFailure f) {
                childError = f;
                abort();
                sa.engine.event(new IkeEvent.Failed(sa.conn.name(), f.failure, "first Child SA: " + f.getMessage()));
            }
        } else {
            respond(in);
        }
    }

    void respond(Received in) throws ExchangeFailure {
        IkeConnection c = sa.conn;
        SaPayload saP = in.first(SaPayload.class).orElseThrow(() -> ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "no SA payload"));
        List<TrafficSelector> tsi = in.first(TsPayload.class).filter(TsPayload::initiator).map(TsPayload::selectors).orElse(List.of());
        List<TrafficSelector> tsr = in.all(TsPayload.class).stream().filter(t -> !t.initiator()).findFirst().map(TsPayload::selectors).orElse(List.of());
        if (tsi.isEmpty() || tsr.isEmpty()) throw ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "missing traffic selectors");
        boolean transport = in.notify(NotifyPayload.USE_TRANSPORT_MODE).isPresent();
        if (c.mode() == SaMode.IIPTRAN && !transport)
            throw ExchangeFailure.of(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, NotifyPayload.NO_PROPOSAL_CHOSEN, "peer wants tunnel mode, connection is IIPtran (transport)");
        KePayload keP = in.first(KePayload.class).orElse(null);
        chosen = Proposals.selectEsp(c.espProposals(), saP, !inIkeAuth, keP == null ? -1 : keP.group());
        if (chosen == null)
            throw ExchangeFailure.of(IkeEvent.Failure.NO_PROPOSAL_CHOSEN, NotifyPayload.NO_PROPOSAL_CHOSEN, "no ESP proposal in common: peer offered "
                    + Proposals.describe(saP.proposals()) + "; we accept " + Proposals.describe(Proposals.espOffer(c.espProposals(), new byte[4], !inIkeAuth, null).proposals()));
        if (inIkeAuth) {
            ni = sa.ni;
            nr = sa.nr;
        } else {
            ni = in.first(NoncePayload.class).map(NoncePayload::nonce).orElse(null);
            if (ni == null || ni.length < 16 || ni.length > 256) throw ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "missing or bad nonce");
            KeyExchangeMethod g = chosen.algorithms().pfs();
            if (g != null) {
                if (keP == null || keP.group() != g.ikev2Id)
                    throw new ExchangeFailure(IkeEvent.Failure.INVALID_KE_PAYLOAD, NotifyPayload.invalidKe(g.ikev2Id), false, "peer's PFS KE is not group " + g);
                try {
                    KeyExchange.Responder r = g.newKeyExchange().respond(keP.data());
                    ourKePublic = r.responderPublic();
                    secret = r.sharedSecret();
                } catch (IkeCryptoException e) {
                    throw ExchangeFailure.of(IkeEvent.Failure.INVALID_SYNTAX, NotifyPayload.INVALID_SYNTAX, "peer's PFS KE: " + e.getMessage());
                }
            }
            nr = sa.engine.nonce();
        }
        // Narrowing (§2.9): TSi is the initiator's side, i.e. our remote side.
        chosenI = TrafficSelector.intersect(tsi, remoteSelectors());
        chosenR = TrafficSelector.intersect(tsr, localSelectors());
        if (chosenI.isEmpty() || chosenR.isEmpty())
            throw ExchangeFailure.of(IkeEvent.Failure.TS_UNACCEPTABLE, NotifyPayload.TS_UNACCEPTABLE,
                    "peer's traffic selectors " + tsi + " === " + tsr + " do not overlap our " + remoteSelectors() + " === " + localSelectors());
        inboundSpi = sa.engine.allocateSpi();
        beforeInstall(in);
        created = install(false, chosen.algorithms(), chosen.peerSpi(), chosenR, chosenI);
    }

    /** Hook for ChildRekeyTask, run after all checks and before the new pair is installed. */
    void beforeInstall(Received in) throws ExchangeFailure {}

    @Override void buildResponse(List<Payload> out) {
        if (childError != null) {
            if (childError.notify != null) out.add(childError.notify);
            return;
        }
        if (created == null) return;
        if (sa.conn.mode() == SaMode.IIPTRAN) out.add(new NotifyPayload(NotifyPayload.USE_TRANSPORT_MODE, new byte[0]));
        out.add(new SaPayload(List.of(chosen.algorithms().toProposal(chosen.number(), spiBytes(inboundSpi)))));
        if (!inIkeAuth) {
            out.add(new NoncePayload(nr));
            if (ourKePublic != null) out.add(new KePayload(chosen.algorithms().pfs().ikev2Id, ourKePublic));
        }
        out.add(new TsPayload(true, chosenI));
        out.add(new TsPayload(false, chosenR));
    }

    @Override void abort() {
        if (inboundSpi != 0 && created == null) sa.engine.releaseSpi(inboundSpi);
        inboundSpi = created == null ? 0 : inboundSpi;
    }

    /** The packet that caused an acquire: offered first (§2.9), when our policy covers it. */
    void trigger(IpAddress src, IpAddress dst, int protocol) {
        if (sa.conn.mode() == SaMode.IIPTRAN) return;   // gateway selectors only
        triggerSrc = TrafficSelector.of(IpPrefix.host(src), protocol, 0, 0xffff);
        triggerDst = TrafficSelector.of(IpPrefix.host(dst), protocol, 0, 0xffff);
    }

    private static List<TrafficSelector> withTrigger(List<TrafficSelector> policy, TrafficSelector trigger) {
        if (trigger == null || !TrafficSelector.covers(policy, trigger)) return policy;
        List<TrafficSelector> out = new ArrayList<>();
        out.add(trigger);
        out.addAll(policy);
        return out;
    }

    // ------------------------------------------------------------------------------------------ shared

    List<TrafficSelector> localSelectors() {
        if (sa.conn.mode() == SaMode.IIPTRAN) return gatewaySelectors(sa.conn.localAddress());
        List<TrafficSelector> out = new ArrayList<>();
        for (IpPrefix p : sa.conn.localNets()) out.add(TrafficSelector.of(p));
        return out;
    }

    List<TrafficSelector> remoteSelectors() {
        if (sa.conn.mode() == SaMode.IIPTRAN) return gatewaySelectors(sa.remote.address());
        List<TrafficSelector> out = new ArrayList<>();
        for (IpPrefix p : sa.conn.remoteNets()) out.add(TrafficSelector.of(p));
        return out;
    }

    private static List<TrafficSelector> gatewaySelectors(IpAddress gw) {
        IpPrefix host = IpPrefix.host(gw);
        return List.of(TrafficSelector.of(host, IPPROTO_IPIP, 0, 0xffff), TrafficSelector.of(host, IPPROTO_IPV6, 0, 0xffff));
    }

    private ExchangeFailure childFailure(int notifyType) {
        ExchangeFailure f = InitTask.peerError(notifyType, inIkeAuth ? "the first Child SA" : "CREATE_CHILD_SA");
        return ExchangeFailure.of(f.failure, 0, f.getMessage());
    }

    /** Derives keys and installs the pair. weInitiated: we sent the request (keys I->R are our outbound). */
    ChildSa install(boolean weInitiated, Proposals.EspAlgorithms a, byte[] peerSpi, List<TrafficSelector> localTs, List<TrafficSelector> remoteTs) {
        IkeConnection c = sa.conn;
        ChildSaKeys k = IkeKeyDerivation.childKeys(sa.algorithms.prf(), sa.keys.skD(), secret, ni, nr, a.enc().keyMaterialLength(), a.integ().keyLength);
        int outboundSpi = Bytes.i32(peerSpi, 0);
        List<IpPrefix> localSel = c.mode() == SaMode.IIPTRAN ? c.localNets() : prefixes(localTs);
        List<IpPrefix> remoteSel = c.mode() == SaMode.IIPTRAN ? c.remoteNets() : prefixes(remoteTs);
        long now = sa.engine.now;
        long soft = sa.engine.softLifetime(c.childLifetimeSeconds(), c.rekeyMarginSeconds());
        long softBytes = c.rekeyBytes(), hardBytes = softBytes == 0 ? 0 : softBytes + softBytes / 10;
        SaParameters.Lifetime life = new SaParameters.Lifetime(soft, c.childLifetimeSeconds(), softBytes, hardBytes);
        SaParameters in = params(SaParameters.Direction.INBOUND, inboundSpi, a, weInitiated ? k.encrResponderToInitiator() : k.encrInitiatorToResponder(),
                weInitiated ? k.integResponderToInitiator() : k.integInitiatorToResponder(), life, localSel, remoteSel);
        SaParameters out = params(SaParameters.Direction.OUTBOUND, outboundSpi, a, weInitiated ? k.encrInitiatorToResponder() : k.encrResponderToInitiator(),
                weInitiated ? k.integInitiatorToResponder() : k.integResponderToInitiator(), life, localSel, remoteSel);
        ChildSa child = new ChildSa(inboundSpi, outboundSpi, a, localTs, remoteTs, in, out, now, now + soft * 1_000_000_000L,
                now + c.childLifetimeSeconds() * 1_000_000_000L, ni, nr);
        sa.addChild(child, !weInitiated && this instanceof ChildRekeyTask);
        announce(child);
        return child;
    }

    void announce(ChildSa child) {
        sa.engine.event(new IkeEvent.ChildSaEstablished(sa.conn.name(), "Child SA " + child.describe()));
    }

    private SaParameters params(SaParameters.Direction d, int spi, Proposals.EspAlgorithms a, byte[] encKey, byte[] integKey,
                                SaParameters.Lifetime life, List<IpPrefix> localSel, List<IpPrefix> remoteSel) {
        boolean udp = sa.udpEncapsulation();
        return new SaParameters(sa.conn.name(), d, spi, SaProtocol.ESP, sa.conn.mode(), sa.local.address(), sa.remote.address(),
                a.enc(), encKey, a.integ(), integKey, udp, udp ? sa.local.port() : 0, udp ? sa.remote.port() : 0, a.esn(),
                sa.conn.replayWindow(), life, localSel, remoteSel);
    }

    private static List<IpPrefix> prefixes(List<TrafficSelector> ts) {
        List<IpPrefix> out = new ArrayList<>();
        for (TrafficSelector t : ts) out.addAll(t.toPrefixes());
        return out;
    }

    static byte[] spiBytes(int spi) {
        byte[] b = new byte[4];
        Bytes.put32(b, 0, spi);
        return b;
    }
}
