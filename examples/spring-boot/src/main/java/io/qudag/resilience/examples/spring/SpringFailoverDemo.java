package io.qudag.resilience.examples.spring;

import io.qudag.resilience.spring.McpClientGroups;
import io.qudag.resilience.spring.McpEndpointsEndpoint;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot demo (spec §1.1 failover, §1.2 instant redirection): a Spring AI MCP client application
 * with the starter calls the {@code lookup} tool of the group {@code catalog} from four threads while the
 * primary server, a child JVM, is killed (SIGKILL); the replica answers, no call fails. Run it with
 * <pre>
 * mvn -B -ntp -q -DskipTests -pl examples/spring-boot -am package
 * java -jar examples/spring-boot/target/qudag-resilience-spring-example.jar
 * </pre>
 * With the arguments {@code server <name>} it runs one catalog server and prints {@code PORT <n>}.
 */
public final class SpringFailoverDemo {

    /** What a run saw. */
    public record Summary(int calls, int byPrimary, int byReplica, List<String> failures) {
    }

    private SpringFailoverDemo() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("server")) {
            ConfigurableApplicationContext server = CatalogServer.start(args[1]);
            System.out.println("PORT " + CatalogServer.port(server));
            System.out.flush();
            return;
        }
        Summary s = run(Duration.ofSeconds(6), System.out);
        System.exit(s.failures().isEmpty() ? 0 : 1);
    }

    /** Runs the demo for {@code duration}; the primary is killed a third of the way through. */
    public static Summary run(Duration duration, PrintStream out) throws Exception {
        Process primary = startServerProcess("primary");
        ConfigurableApplicationContext replica = null;
        ConfigurableApplicationContext client = null;
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            replica = CatalogServer.start("replica");
            int primaryPort = awaitPort(primary, Duration.ofSeconds(120));
            out.printf("servers: primary pid %d on port %d, replica on port %d%n", primary.pid(), primaryPort,
                    CatalogServer.port(replica));
            client = ChatClientApp.start("http://127.0.0.1:" + primaryPort,
                    "http://127.0.0.1:" + CatalogServer.port(replica));
            ToolCallbackProvider provider = client.getBean("mcpToolCallbacks", ToolCallbackProvider.class);
            List<ToolCallback> tools = Arrays.asList(provider.getToolCallbacks());
            out.println("tools the model sees: " + tools.stream().map(t -> t.getToolDefinition().name()).toList());
            McpClientGroups groups = client.getBean(McpClientGroups.class);
            McpClientGroups.Group catalog = groups.groups().get("catalog");
            awaitTrue(() -> catalog.isUp("catalog-primary") && catalog.isUp("catalog-replica"), Duration.ofSeconds(60));
            ToolCallback lookup = tools.stream().filter(t -> t.getToolDefinition().name().equals("lookup"))
                    .findFirst().orElseThrow();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger calls = new AtomicInteger();
            AtomicInteger byPrimary = new AtomicInteger();
            AtomicInteger byReplica = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(CompletableFuture.runAsync(() -> {
                    while (!stop.get()) {
                        int id = calls.incrementAndGet();
                        try {
                            String answer = lookup.call("{\"id\":" + id + "}");
                            (answer.contains("primary") ? byPrimary : byReplica).incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(e.getMessage());
                        }
                    }
                }, callers));
            }
            long third = duration.toMillis() / 3;
            long started = System.nanoTime();
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(third, TimeUnit.MILLISECONDS)).join();
            awaitTrue(() -> byPrimary.get() > 0, Duration.ofSeconds(30));
            out.printf("after %d ms: %d calls, killing the primary (SIGKILL pid %d)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), calls.get(), primary.pid());
            primary.destroyForcibly();
            primary.waitFor(10, TimeUnit.SECONDS);
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(duration.toMillis() - third,
                    TimeUnit.MILLISECONDS)).join();
            stop.set(true);
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            Summary s = new Summary(calls.get(), byPrimary.get(), byReplica.get(), List.copyOf(failures));
            out.printf("%d calls: %d answered by the primary, %d by the replica, %d failed%n", s.calls(),
                    s.byPrimary(), s.byReplica(), s.failures().size());
            HealthEndpoint health = client.getBean(HealthEndpoint.class);
            out.println("health mcpGroups: " + health.healthForPath("mcpGroups").getStatus()
                    + ", mcpConnections: " + health.healthForPath("mcpConnections").getStatus());
            out.println("mcpendpoints: " + client.getBean(McpEndpointsEndpoint.class).endpoints());
            return s;
        } finally {
            callers.shutdownNow();
            if (client != null) {
                client.close();
            }
            if (replica != null) {
                replica.close();
            }
            primary.destroyForcibly();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("not reached within " + timeout);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The primary runs in its own JVM, so it can be killed: the same jar (or class path) with {@code server}. */
    private static Process startServerProcess(String name) throws IOException, URISyntaxException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File source = new File(SpringFailoverDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
        if (source.isFile()) {
            cmd.addAll(List.of("-jar", source.getPath()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SpringFailoverDemo.class.getName()));
        }
        cmd.addAll(List.of("server", name));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static int awaitPort(Process p, Duration timeout) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        // reads the child's output to the end, so it never blocks on a full pipe
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!port.isDone() && line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the primary server exited before it listened"));
        }, "primary-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
