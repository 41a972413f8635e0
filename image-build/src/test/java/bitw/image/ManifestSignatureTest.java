// Specification of the release manifest (sign-manifest.sh / verify-manifest.sh): a signed SHA256SUMS verifies with
// the vendor's Ed25519 public key; one flipped byte in a file, an edited manifest, or another vendor's key is
// refused.
package bitw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestSignatureTest {
    @TempDir Path tmp;
    Path release, key, pub;

    @BeforeEach
    void signASmallRelease() throws Exception {
        release = Files.createDirectories(tmp.resolve("release"));
        Files.write(release.resolve("bitw-test.img.zst"), new byte[64 * 1024]);
        Files.writeString(release.resolve("bitw-test.raucb"), "bundle bytes");
        Files.writeString(release.resolve("notes.txt"), "release notes");
        key = tmp.resolve("vendor.key.pem");
        pub = tmp.resolve("vendor.pub.pem");
        assertEquals(0, Command.run(List.of("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString())).exitCode());
        assertEquals(0, Command.run(List.of("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString())).exitCode());
        Command sign = Command.run(List.of("./sign-manifest.sh", release.toString(), key.toString()));
        assertEquals(0, sign.exitCode(), sign.output());
    }

    private Command verify(Path publicKey) throws Exception {
        return Command.run(List.of("./verify-manifest.sh", release.toString(), publicKey.toString()));
    }

    @Test
    void signedReleaseVerifies() throws Exception {
        Command c = verify(pub);
        assertEquals(0, c.exitCode(), c.output());
        assertTrue(c.output().contains("3 checksums"), c.output());
        assertEquals(64, Files.size(release.resolve("SHA256SUMS.sig")), "Ed25519 signatures are 64 bytes");
        List<String> listed = Files.readAllLines(release.resolve("SHA256SUMS")).stream().map(l -> l.substring(66)).toList();
        assertEquals(List.of("bitw-test.img.zst", "bitw-test.raucb", "notes.txt"), listed, "sorted, manifest not listed");
    }

    @Test
    void oneFlippedByteInAnImageIsRefused() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(release.resolve("bitw-test.img.zst").toFile(), "rw")) {
            f.seek(40_000);
            f.write(1);
        }
        Command c = verify(pub);
        assertEquals(1, c.exitCode(), c.output());
        assertTrue(c.output().contains("does not match"), c.output());
    }

    @Test
    void anEditedManifestIsRefused() throws Exception {
        // Whoever swaps a file and fixes up its checksum still cannot re-sign the manifest.
        Path sums = release.resolve("SHA256SUMS");
        Files.writeString(release.resolve("notes.txt"), "other notes");
        Command recomputed = Command.run(List.of("sh", "-c", "cd " + release + " && sha256sum notes.txt"));
        List<String> lines = Files.readAllLines(sums).stream()
                .map(l -> l.endsWith("notes.txt") ? recomputed.output().strip() : l).toList();
        Files.write(sums, lines);
        Command c = verify(pub);
        assertEquals(1, c.exitCode(), c.output());
        assertTrue(c.output().contains("not signed by"), c.output());
    }

    @Test
    void anotherVendorsKeyIsRefused() throws Exception {
        Path otherKey = tmp.resolve("other.key.pem"), otherPub = tmp.resolve("other.pub.pem");
        Command.run(List.of("openssl", "genpkey", "-algorithm", "ed25519", "-out", otherKey.toString()));
        Command.run(List.of("openssl", "pkey", "-in", otherKey.toString(), "-pubout", "-out", otherPub.toString()));
        Command c = verify(otherPub);
        assertEquals(1, c.exitCode(), c.output());
        assertTrue(c.output().contains("REFUSED"), c.output());
    }

    @Test
    void withoutAVendorKeyATestKeyIsGeneratedAndVerifies() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("unsigned"));
        Files.writeString(dir.resolve("a.img.zst"), "a");
        Command sign = Command.run(List.of("./sign-manifest.sh", dir.toString()));
        assertEquals(0, sign.exitCode(), sign.output());
        assertTrue(sign.output().contains("TEST Ed25519 key"), sign.output());
        Command c = Command.run(List.of("./verify-manifest.sh", dir.toString(), dir.resolve("test-vendor-ed25519.pub.pem").toString()));
        assertEquals(0, c.exitCode(), c.output());
        assertEquals(1, verify(dir.resolve("test-vendor-ed25519.pub.pem")).exitCode(), "the test key did not sign the other release");
    }

    @Test
    void aNonEd25519KeyIsRefusedForSigning() throws Exception {
        Path rsa = tmp.resolve("rsa.pem");
        Command.run(List.of("openssl", "genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", rsa.toString()));
        Command c = Command.run(List.of("./sign-manifest.sh", release.toString(), rsa.toString()));
        assertEquals(1, c.exitCode(), c.output());
        assertTrue(c.output().contains("not an Ed25519 private key"), c.output());
    }
}
