// Dead peer detection (RFC 7296 §2.4): an empty INFORMATIONAL after dpdSeconds without hearing from the peer. The
// answer proves liveness (IkeSa notes the time of every authenticated message); exhausted retransmissions make the
// engine declare the peer dead and apply the connection's DpdAction.
package bitw.ipsec.ike;

final class DpdTask extends IkeTask {
    DpdTask(IkeSa sa) { super(sa); }
}
