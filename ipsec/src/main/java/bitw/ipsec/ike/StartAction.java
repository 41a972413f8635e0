// When a configured connection is brought up: by the engine at start (START), by the first packet under its
// policy (TRAP, through IkeEngine.acquire), or only by a peer or an operator (NONE).
package bitw.ipsec.ike;

public enum StartAction { NONE, TRAP, START }
