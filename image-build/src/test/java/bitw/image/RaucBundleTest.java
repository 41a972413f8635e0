// Specification of the update bundles (RAUC 1.8, verity format, as build-image.sh makes them): a bundle signed with
// the vendor's update certificate verifies against the image's keyring; another keyring, a changed payload byte
// or a changed signature byte is refused. Payload checks use `rauc extract`, which verifies the dm-verity hash tree
// in user space; on the box `rauc install` does the same through dm-verity before writing the slot.
package bitw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaucBundleTest {
    @TempDir Path tmp;
    Path cert, bundle;
    byte[] payload;

    private Path certificate(String cn) throws Exception {
        Path c = tmp.resolve(cn + ".cert.pem");
        Command r = Command.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "30", "-subj", "/CN=" + cn, "-keyout", tmp.resolve(cn + ".key.pem").toString(), "-out", c.toString()));
        assertEquals(0, r.exitCode(), r.output());
        return c;
    }

    @BeforeEach
    void buildATinyBundle() throws Exception {
        assumeTrue(Command.available("rauc") && Command.available("mksquashfs"),
                "rauc / squashfs-tools not installed (apt-get install rauc squashfs-tools)");
        cert = certificate("vendor");
        Path dir = Files.createDirectories(tmp.resolve("bundle"));
        payload = new byte[256 * 1024];
        new java.util.Random(42).nextBytes(payload);   // incompressible: the bundle keeps its size
        Files.write(dir.resolve("rootfs.ext4"), payload);
        Files.writeString(dir.resolve("manifest.raucm"), """
                [update]
                compatible=bitw-qemu-x86_64
                version=test-1

                [bundle]
                format=verity

                [image.rootfs]
                filename=rootfs.ext4
                """);
        bundle = tmp.resolve("test.raucb");
        Command r = Command.run(List.of("rauc", "bundle", "--cert=" + cert, "--key=" + tmp.resolve("vendor.key.pem"),
                dir.toString(), bundle.toString()));
        assertEquals(0, r.exitCode(), r.output());
    }

    private Command info(Path keyring, Path b) throws Exception {
        return Command.run(List.of("rauc", "info", "--keyring=" + keyring, b.toString()));
    }

    private Command extract(Path keyring, Path b, String into) throws Exception {
        return Command.run(List.of("rauc", "extract", "--keyring=" + keyring, b.toString(), tmp.resolve(into).toString()));
    }

    private Path copyWithFlippedByte(long offset) throws Exception {
        Path t = tmp.resolve("tampered-" + offset + ".raucb");
        Files.copy(bundle, t);
        try (RandomAccessFile f = new RandomAccessFile(t.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
        return t;
    }

    @Test
    void signedBundleVerifiesAndCarriesTheBoardsCompatible() throws Exception {
        Command c = info(cert, bundle);
        assertEquals(0, c.exitCode(), c.output());
        assertTrue(c.output().contains("'bitw-qemu-x86_64'"), c.output());
        assertTrue(c.output().contains("Bundle Format: \tverity"), c.output());
        Command x = extract(cert, bundle, "out");
        assertEquals(0, x.exitCode(), x.output());
        assertTrue(Arrays.equals(payload, Files.readAllBytes(tmp.resolve("out/rootfs.ext4"))), "payload round trip");
    }

    @Test
    void bundleSignedByAnotherVendorIsRefused() throws Exception {
        Command c = info(certificate("someone-else"), bundle);
        assertEquals(1, c.exitCode(), c.output());
        assertTrue(c.output().contains("signature verification failed"), c.output());
    }

    @Test
    void changedPayloadByteIsRefused() throws Exception {
        assertTrue(Files.size(bundle) > 256 * 1024, "payload inside the bundle");
        Command c = extract(cert, copyWithFlippedByte(100_000), "x");
        assertEquals(1, c.exitCode(), c.output());
        assertTrue(c.output().contains("payload is corrupted"), c.output());
    }

    @Test
    void changedSignatureByteIsRefused() throws Exception {
        Command c = info(cert, copyWithFlippedByte(Files.size(bundle) - 200));
        assertEquals(1, c.exitCode(), c.output());
        assertTrue(c.output().toLowerCase().contains("signature"), c.output());
    }
}
