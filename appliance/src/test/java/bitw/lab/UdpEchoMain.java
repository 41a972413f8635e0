// A tiny main class for NetnsLabTest: proves NetnsLab.startJava runs a JVM inside a namespace with the test class
// path. It prints the interfaces it sees, then echoes UDP datagrams on the given port, prefixed with "echo:".
package bitw.lab;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

public final class UdpEchoMain {

    private UdpEchoMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String interfaces = NetworkInterface.networkInterfaces().map(NetworkInterface::getName).sorted()
                .collect(Collectors.joining(","));
        try (DatagramSocket socket = new DatagramSocket(port)) {
            System.out.println("interfaces " + interfaces);
            System.out.println("ready on udp " + port);
            byte[] buf = new byte[2048];
            while (true) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                socket.receive(in);
                String text = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                byte[] reply = ("echo:" + text).getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
            }
        }
    }
}
