package io.qudag.resilience.chaos.testing;

/** A child JVM that prints READY and then a counter every 20 ms until killed. */
public final class SleepyMain {

    private SleepyMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("READY");
        System.out.flush();
        for (long i = 0; ; i++) {
            System.out.println("tick " + i);
            System.out.flush();
            Thread.sleep(20);
        }
    }
}
