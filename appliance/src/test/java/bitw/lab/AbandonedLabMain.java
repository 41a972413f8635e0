// A main class for NetnsLabTest: opens a lab with a host and a background process, prints their names, then waits
// to be terminated without closing the lab, so the test can check that the JVM shutdown hook cleans up.
package bitw.lab;

public final class AbandonedLabMain {

    private AbandonedLabMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        NetnsLab lab = NetnsLab.open();
        LabProcess sleeper = lab.host("a").spawn("sleep", "600");
        System.out.println("lab " + lab.prefix() + " sleep " + sleeper.pid());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
