// The inbound data thread looks SAs up while the control thread installs and removes others: it must never see
// a half-built table (a wrong SA for an SPI, or a miss for an SA installed all along).
package bitw.ipsec.sad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SecurityAssociationDatabaseConcurrencyTest {

    @Test
    void aConcurrentReaderOnlyEverSeesTheSaOfTheSpiItAskedFor() throws Exception {
        SecurityAssociationDatabase sad = new SecurityAssociationDatabase(new SaEventListener() {
            public void softExpired(SecurityAssociation sa) {}
            public void hardExpired(SecurityAssociation sa) {}
        });
        int[] stable = new int[64];
        int[] churn = new int[256];
        for (int i = 0; i < stable.length; i++) {
            stable[i] = 0x8000_0000 + i * 0x1001;
            sad.install(TestSas.inbound(stable[i]));
        }
        for (int i = 0; i < churn.length; i++) churn[i] = 0x4000_0000 + i * 0x10001;

        AtomicLong wrongSa = new AtomicLong(), lostStable = new AtomicLong(), churnHits = new AtomicLong(),
                churnMisses = new AtomicLong(), lookups = new AtomicLong();
        Thread reader = new Thread(() -> {
            long n = 0, hits = 0, misses = 0;
            while (!Thread.currentThread().isInterrupted()) {
                for (int spi : stable) {
                    SecurityAssociation sa = sad.inbound(spi, 50);
                    if (sa == null) lostStable.incrementAndGet();
                    else if (sa.spi() != spi) wrongSa.incrementAndGet();
                }
                for (int spi : churn) {
                    SecurityAssociation sa = sad.inbound(spi, 50);
                    if (sa == null) misses++;
                    else if (sa.spi() != spi || sa.params().protocol() != SaProtocol.ESP) wrongSa.incrementAndGet();
                    else hits++;
                }
                n += stable.length + churn.length;
            }
            lookups.set(n);
            churnHits.set(hits);
            churnMisses.set(misses);
        }, "inbound-reader");
        reader.start();

        SecurityAssociation[] installed = new SecurityAssociation[churn.length];
        java.util.Random rnd = new java.util.Random(7);
        long deadline = System.nanoTime() + 1_500_000_000L;
        int changes = 0;
        while (changes < 20_000 && System.nanoTime() < deadline) {
            int i = rnd.nextInt(churn.length);
            if (installed[i] == null) {
                installed[i] = TestSas.inbound(churn[i]);
                sad.install(installed[i]);
            } else {
                sad.remove(installed[i]);
                installed[i] = null;
            }
            changes++;
        }
        reader.interrupt();
        reader.join(10_000);
        assertFalse(reader.isAlive());

        assertEquals(0, wrongSa.get(), "lookups that returned an SA for another SPI");
        assertEquals(0, lostStable.get(), "lookups that missed an SA installed throughout");
        assertTrue(changes > 1000, "control thread made " + changes + " changes");
        assertTrue(churnHits.get() > 0 && churnMisses.get() > 0,
                "the reader saw churned SPIs both present and absent: " + churnHits + "/" + churnMisses);
        for (int i = 0; i < churn.length; i++) assertSame(installed[i], sad.inbound(churn[i], 50));
    }
}
