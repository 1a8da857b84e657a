package io.qudag.resilience.recovery;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The child JVM of {@link JournalCrashTest}: opens the journal, then appends from several threads
 * until killed, printing {@code A <sequence> <payload>} after each acknowledged append. With a
 * fourth argument {@code async} each thread pipelines {@link Journal#appendAsync(int, byte[])} with
 * up to 64 outstanding futures and prints a record when its future completes.
 */
public final class JournalCrashChild {

    private JournalCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        boolean async = args.length > 3 && args[3].equals("async");
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        Journal j = Journal.open(JournalConfig.builder(dir).durability(durability).segmentSize(16 * 1024)
                .groupCommitMaxDelay(Duration.ofMillis(1)).build());
        synchronized (out) {
            out.println("OPEN " + j.lastSequence());
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(async ? () -> pipeline(j, out, id) : () -> {
                for (long i = 0; ; i++) {
                    String p = "c" + ProcessHandle.current().pid() + "t" + id + "i" + i + "x".repeat((int) (i % 97));
                    long seq = j.append(1 + (int) (i % 3), p.getBytes(StandardCharsets.UTF_8));
                    synchronized (out) {
                        out.println("A " + seq + " " + p);
                        out.flush();
                        if (out.checkError()) {
                            Runtime.getRuntime().halt(3); // the parent is gone
                        }
                    }
                }
            });
            th.start();
        }
        Thread.currentThread().join();
    }

    private static void pipeline(Journal j, PrintStream out, int id) {
        Semaphore window = new Semaphore(64);
        for (long i = 0; ; i++) {
            String p = "c" + ProcessHandle.current().pid() + "t" + id + "i" + i + "x".repeat((int) (i % 97));
            window.acquireUninterruptibly();
            j.appendAsync(1 + (int) (i % 3), p.getBytes(StandardCharsets.UTF_8)).whenComplete((seq, error) -> {
                window.release();
                if (error != null) {
                    return;
                }
                synchronized (out) {
                    out.println("A " + seq + " " + p);
                    out.flush();
                    if (out.checkError()) {
                        Runtime.getRuntime().halt(3); // the parent is gone
                    }
                }
            });
        }
    }
}
