// The IKEv2 engine (RFC 7296), sans I/O. The shell feeds datagrams (receive), timer ticks (tick), policy misses
// (acquire) and operator commands (initiate/terminate/reconfigure); the engine answers through IkeOutput with
// datagrams, Child SA installs/removals (SaParameters for the SAD) and events.
//
// Flow of one datagram: IkeEngine (decode, route by our SPI or create a half-open responder SA, cookies) ->
// IkeSa (message-ID windows, retransmission and kept responses, SK open/seal and RFC 7383 fragments via
// MessageProtection) -> the tasks of the exchange -> results (keys, Child SAs, events).
//
// Exchanges are composed from tasks, one per concern, each with build/process for both roles:
//   IKE_SA_INIT       InitTask (proposals, KE, nonces, COOKIE / INVALID_KE retries) + NatDetectionTask
//   IKE_INTERMEDIATE  AdditionalKeTask (RFC 9370, e.g. ML-KEM-768), authenticated by IntermediateAuth (RFC 9242)
//   IKE_AUTH          AuthTask (IDs, PSK / signatures / certificates / raw keys, INITIAL_CONTACT) + ChildCreateTask
//   CREATE_CHILD_SA   ChildCreateTask, ChildRekeyTask (REKEY_SA, §2.8.1 collisions), IkeRekeyTask (§2.8.2)
//   INFORMATIONAL     DeleteTask, DpdTask, InvalidSpiTask (initiator); InformationalTask (responder)
//
// Child SA selectors: in TUNNEL mode the negotiated (narrowed) traffic selectors become the SaParameters'
// localSelectors/remoteSelectors. In IIPTRAN mode IKE negotiates transport mode (USE_TRANSPORT_MODE) between the
// two gateway addresses for IP protocols 4 and 41 only; the inner addresses are enforced locally: the SaParameters
// carry the connection's localNets/remoteNets, which the data path checks on the inner header after
// decapsulation, and the SPD sends only traffic between those nets to the SA.
//
// NAT (§2.23): NAT_DETECTION_* in IKE_SA_INIT; on a mismatch (or forceUdpEncapsulation, or a peer that fakes the
// hash as strongSwan's kernel-libipsec does) IKE floats to 4500 and Child SAs are installed with
// udpEncapsulation=true and the ports IKE uses. The shell adds/strips the non-ESP marker and sends NAT-T
// keepalives (IkeSaStatus.natDetected tells it when).
package bitw.ipsec.ike;
