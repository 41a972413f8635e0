// Failure to open or set up a frame port (a NIC port or the TAP device); the message names the interface.
package bitw.bridge.io;

import java.io.IOException;

public final class PortException extends IOException {
    public PortException(String message) { super(message); }

    public PortException(String message, Throwable cause) { super(message, cause); }
}
