// A local control socket (Unix domain, root-only) for scripts and tests: one command line in, one answer out.
//   status        → the 80-column status text
//   status json   → the same as JSON
//   show VIEW [json] → one console view (interfaces, policies, sas, drops, ike, opportunistic)
//   clear counters, clear sas, ike initiate NAME, ike terminate NAME
// The serial console is the operator's interface; this socket lets the demo and the test lab read counters.
package bitw.appliance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;
import org.tinylog.Logger;

final class ControlSocket implements AutoCloseable {
    private static final int MAX_COMMAND = 4096;
    private final Path path;
    private final ServerSocketChannel server;
    private final Function<String, String> handler;
    private final Thread thread;

    ControlSocket(Path path, Function<String, String> handler) throws IOException {
        this.path = path;
        this.handler = handler;
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        thread = new Thread(this::serve, "bitw-control");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                String cmd = readLine(c);
                String answer;
                try { answer = handler.apply(cmd); }
                catch (RuntimeException e) { answer = "error: " + e.getMessage() + "\n"; }
                ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) c.write(out);
            } catch (IOException e) {
                if (server.isOpen()) Logger.debug("control connection failed: {}", e.getMessage());
            }
        }
    }

    private static String readLine(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MAX_COMMAND);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) break;
            int n = b.position();
            if (n > 0 && b.get(n - 1) == '\n') break;
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
    }

    /** Client side, for scripts: `java ... bitw.appliance.Main --control PATH --query "status"`. */
    static String query(Path path, String command) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            c.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            while (c.read(b) >= 0) if (!b.hasRemaining()) break;
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    @Override public void close() {
        try { server.close(); } catch (IOException ignored) { }
        try { Files.deleteIfExists(path); } catch (IOException ignored) { }
    }
}
