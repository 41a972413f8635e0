// One UDP datagram carrying an IKE message, in or out of the engine. The shell strips (inbound) and adds
// (outbound, when either port is 4500) the 4-byte non-ESP marker; data never includes it.
package bitw.ipsec.ike;

public record Datagram(Endpoint local, Endpoint remote, byte[] data) {}
